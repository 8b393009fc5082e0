"""Turn a finished Glue run into FeaturesReady or EtlFailed, release the lock, start what is pending."""

from collections.abc import Mapping
from functools import partial
from typing import Any

from airline_shared.events import EtlFailed, FeaturesReady, RejectedRawFile
from pydantic import ValidationError

from etl_trigger.logic.errors import InvalidEventError, ObjectMissingError
from etl_trigger.logic.ports import TriggerDeps
from etl_trigger.logic.rejected_files import settle_rejected_files
from etl_trigger.logic.start_run import start_pending_run
from etl_trigger.models.events import GLUE_TERMINAL_STATES, GlueJobStateChange, GlueJobStateChangeEvent
from etl_trigger.models.runs import FileStatus, RunRecord, RunStatus, RunSummary, StateChangeOutcome


def parse_glue_state_change(envelope: Mapping[str, Any] | str) -> GlueJobStateChangeEvent:
    """Parse one "Glue Job State Change" envelope; raises InvalidEventError naming the bad field."""
    try:
        if isinstance(envelope, str):
            return GlueJobStateChangeEvent.model_validate_json(envelope)
        return GlueJobStateChangeEvent.model_validate(envelope)
    except ValidationError as exc:
        raise InvalidEventError(f"not a Glue Job State Change envelope: {exc}") from exc


def handle_glue_state_change(envelope: Mapping[str, Any] | str, deps: TriggerDeps) -> StateChangeOutcome:
    """Local-cloud entry: one Glue state-change envelope; raises InvalidEventError."""
    return settle_glue_run(parse_glue_state_change(envelope).detail, deps)


def settle_glue_run(change: GlueJobStateChange, deps: TriggerDeps) -> StateChangeOutcome:
    """Emit the run's outcome once (a redelivered event is a no-op), then free the lock and start the
    next run if files wait. Raises EventPublishError / FeaturesTableMissingError so the event is retried."""
    if change.job_name != deps.config.glue_job_name:
        return StateChangeOutcome(action="ignored", reason=f"job {change.job_name!r} is not ours")
    if change.state not in GLUE_TERMINAL_STATES:
        return StateChangeOutcome(action="ignored", reason=f"state {change.state} is not terminal")
    arguments = deps.glue.get_job_run_arguments(change.job_name, change.job_run_id)
    run_id = arguments.get("--run_id")
    if not run_id:
        why = f"job run {change.job_run_id} has no --run_id argument (not started by etl-trigger)"
        return StateChangeOutcome(action="ignored", reason=why, next_run=start_pending_run(deps, "next"))
    record = deps.runs.get_run(run_id)
    if record is not None and record.status is not RunStatus.RUNNING:
        return StateChangeOutcome(action="duplicate", run_id=run_id, reason=f"run already {record.status}")

    detail = _outcome_detail(change, run_id, arguments, record, deps)
    if isinstance(detail, FeaturesReady) and deps.catalog is not None:
        deps.catalog.point_features_table(detail.features_uri)
    deps.events.publish(detail)

    if isinstance(detail, FeaturesReady):
        status, file_status, reason = RunStatus.SUCCEEDED, FileStatus.PUBLISHED, None
    else:
        status, file_status, reason = RunStatus(detail.state), FileStatus.FAILED, detail.reason
    if record is not None:
        left_out = {r.file for r in detail.rejected_files}
        deps.runs.finish_run(record, status, deps.clock(), reason)
        deps.runs.mark_files({u: e for u, e in record.new_files.items() if u not in left_out}, run_id, file_status)
    deps.runs.release_lock(run_id)
    return StateChangeOutcome(
        action="features_ready" if status is RunStatus.SUCCEEDED else "etl_failed",
        run_id=run_id,
        reason=reason,
        next_run=start_pending_run(deps, "next"),
    )


def _outcome_detail(
    change: GlueJobStateChange, run_id: str, arguments: Mapping[str, str], record: RunRecord | None, deps: TriggerDeps
) -> FeaturesReady | EtlFailed:
    """FeaturesReady from the run summary; EtlFailed when Glue failed or the summary is missing/invalid.
    Either way the files the run left out (summary `rejected_files`, files found deleted at start) are
    quarantined, kept out of later runs and named in the event."""
    features_uri = deps.config.snapshot_uri(run_id)
    summary_uri = f"{features_uri}_run_summary.json"
    summary, problem = _read_summary(summary_uri, deps)
    left_out = list(record.dropped_files) if record is not None else []
    if summary is not None:
        inputs = record.inputs if record is not None and record.inputs else _current_etags(deps)
        left_out += settle_rejected_files(summary.rejected_files, inputs, run_id, deps)
    failed = partial(_failed, run_id=run_id, job_run_id=change.job_run_id, arguments=arguments, deps=deps)
    if change.state != "SUCCEEDED":
        return failed(change.state, change.message or f"Glue job run ended {change.state} without a message", left_out)
    if summary is None:
        return failed("ERROR", f"Glue reported SUCCEEDED but {problem}", left_out)
    return FeaturesReady(
        run_id=run_id,
        job_run_id=change.job_run_id,
        features_uri=features_uri,
        partitions=summary.partitions,
        rows_read=summary.rows_read,
        rows_written=summary.rows_written,
        input_files=summary.input_files or _run_inputs(arguments, deps),
        completed_at=deps.clock(),
        rejected_files=left_out,
    )


def _read_summary(uri: str, deps: TriggerDeps) -> tuple[RunSummary | None, str]:
    """The run summary, or None and what is wrong with it (a failed run usually wrote none)."""
    try:
        return RunSummary.model_validate(deps.objects.read_json(uri)), ""
    except ObjectMissingError:
        return None, f"{uri} is missing"
    except ValueError as exc:  # pydantic ValidationError or undecodable JSON
        return None, f"run summary {uri} is invalid: {exc}"


def _current_etags(deps: TriggerDeps) -> dict[str, str]:
    """URI -> etag of every accepted file (for run records written before they listed their inputs)."""
    return {f.uri: f.etag for f in deps.runs.list_files()}


def _failed(
    state: str, reason: str, rejected: list[RejectedRawFile], *,
    run_id: str, job_run_id: str, arguments: Mapping[str, str], deps: TriggerDeps,
) -> EtlFailed:  # fmt: skip
    return EtlFailed(
        run_id=run_id,
        job_run_id=job_run_id,
        state=state,  # type: ignore[arg-type]
        reason=reason,
        input_files=_run_inputs(arguments, deps),
        failed_at=deps.clock(),
        rejected_files=rejected,
    )


def _run_inputs(arguments: Mapping[str, str], deps: TriggerDeps) -> list[str]:
    """The run's input URIs from its inputs.json; empty when it is gone (expired or never written)."""
    uri = arguments.get("--inputs_uri")
    if not uri:
        return []
    try:
        data = deps.objects.read_json(uri)
    except ObjectMissingError:
        return []
    return [str(u) for u in data] if isinstance(data, list) else []
