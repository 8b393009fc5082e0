"""Start one Glue run over every accepted file, guarded by a single lock; files not taken stay pending."""

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, Literal

from airline_shared.events import RawFileAccepted
from pydantic import ValidationError

from etl_trigger.logic.errors import GlueConcurrencyLimitError, InvalidEventError
from etl_trigger.logic.ports import TriggerDeps
from etl_trigger.logic.rejected_files import drop_missing_inputs
from etl_trigger.models.events import RawFileAcceptedEvent
from etl_trigger.models.runs import AcceptedFile, AcceptOutcome, FileStatus, RunRecord, StartOutcome

Trigger = Literal["file", "schedule", "next"]


def parse_raw_file_accepted(envelope: Mapping[str, Any] | str) -> RawFileAcceptedEvent:
    """Parse one EventBridge envelope (dict or JSON text); raises InvalidEventError naming the bad field."""
    try:
        if isinstance(envelope, str):
            return RawFileAcceptedEvent.model_validate_json(envelope)
        return RawFileAcceptedEvent.model_validate(envelope)
    except ValidationError as exc:
        raise InvalidEventError(f"not a RawFileAccepted envelope: {exc}") from exc


def handle_raw_files_accepted(envelopes: Sequence[Mapping[str, Any] | str], deps: TriggerDeps) -> AcceptOutcome:
    """Local-cloud entry: RawFileAccepted envelopes -> one attempt to start a run; raises InvalidEventError."""
    return accept_raw_files([parse_raw_file_accepted(e).detail for e in envelopes], deps)


def accept_raw_files(details: Sequence[RawFileAccepted], deps: TriggerDeps) -> AcceptOutcome:
    """Record every file as pending, then try once to start a run, so a batch of files gives one run."""
    stored = [record_accepted_file(d, deps) for d in details]
    recorded = sum(stored)
    return AcceptOutcome(recorded=recorded, duplicates=len(stored) - recorded, start=start_pending_run(deps, "file"))


def record_accepted_file(detail: RawFileAccepted, deps: TriggerDeps) -> bool:
    """Remember an accepted file as pending; False for a redelivery (same URI and etag)."""
    return deps.runs.record_file(AcceptedFile.from_event(detail))


def handle_schedule(deps: TriggerDeps) -> StartOutcome:
    """Scheduled entry: run when any data file is not yet in a successful run (pending or after a failure)."""
    return start_pending_run(deps, "schedule")


def start_pending_run(deps: TriggerDeps, trigger: Trigger) -> StartOutcome:
    """Start a full recompute if new data files wait; never two runs at once. Rejected and missing files
    are no input; a file deleted since it was accepted is found (HeadObject) and recorded before the
    inputs are listed. Glue/S3 errors other than the concurrency limit propagate (after releasing the
    lock) so the message is retried."""
    files = [f for f in deps.runs.list_files() if not f.status.is_excluded]
    waiting = [f for f in files if _is_waiting(f, trigger)]
    if not any(f.is_data for f in waiting):
        return StartOutcome(started=False, reason="nothing_pending", pending_count=len(waiting))
    now = deps.clock()
    run_id = deps.new_run_id(now)
    expires = now + timedelta(minutes=deps.config.run_lock_ttl_minutes)
    if not deps.runs.acquire_lock(run_id, now, expires):
        return StartOutcome(started=False, reason="run_in_flight", pending_count=len(waiting))
    inputs_uri = deps.config.inputs_uri(run_id)
    try:
        files, dropped = drop_missing_inputs(files, run_id, deps)
        waiting = [f for f in files if _is_waiting(f, trigger)]
        if not any(f.is_data for f in waiting):
            deps.runs.release_lock(run_id)
            return StartOutcome(
                started=False, reason="nothing_pending", pending_count=len(waiting),
                dropped_files=[d.file for d in dropped],
            )  # fmt: skip
        inputs = sorted(f.uri for f in files)
        deps.objects.write_json(inputs_uri, inputs)
        job_run_id = deps.glue.start_job_run(
            deps.config.glue_job_name,
            {"--run_id": run_id, "--inputs_uri": inputs_uri, "--features_root": deps.config.features_root},
        )
    except GlueConcurrencyLimitError:
        deps.runs.release_lock(run_id)
        return StartOutcome(started=False, reason="glue_concurrency_limit", pending_count=len(waiting))
    except Exception:
        deps.runs.release_lock(run_id)
        raise
    new_files = {f.uri: f.etag for f in files if f.status is not FileStatus.PUBLISHED}
    deps.runs.put_run(
        RunRecord(
            run_id=run_id,
            job_run_id=job_run_id,
            inputs_uri=inputs_uri,
            input_count=len(inputs),
            new_files=new_files,
            inputs={f.uri: f.etag for f in files},
            dropped_files=dropped,
            trigger=trigger,
            started_at=now,
        )
    )
    deps.runs.mark_files(new_files, run_id, FileStatus.RUNNING)
    return StartOutcome(
        started=True, reason="started", run_id=run_id, job_run_id=job_run_id,
        inputs_uri=inputs_uri, input_count=len(inputs), pending_count=len(waiting),
        dropped_files=[d.file for d in dropped],
    )  # fmt: skip


def _is_waiting(file: AcceptedFile, trigger: Trigger) -> bool:
    """Events start runs for pending files only (no retry loop after a failure); the schedule also
    retries files whose run failed or was lost."""
    if trigger == "schedule":
        return file.status is not FileStatus.PUBLISHED
    return file.status is FileStatus.PENDING
