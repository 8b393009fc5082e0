"""SageMaker training job state change -> verify the bundle, gate it against the champion, record, announce."""

import re
from typing import Any, Literal

from airline_shared.bundle import MANIFEST_FILE
from airline_shared.events import S3_URI_PATTERN, ModelRejected, TrainingFailed

from trainer.logic.errors import InvalidBundleError
from trainer.logic.gate import decide_promotion
from trainer.logic.ports import EvaluationDeps
from trainer.logic.verification import ExtractionLimits, VerifiedBundle, extract_bundle_files, verify_bundle
from trainer.models.incoming import TrainingJobStateChange, TrainingJobStateChangeEnvelope
from trainer.models.outcomes import TrainingOutcome
from trainer.models.registry import CurrentPointer, ModelVersion, model_updated_event

BUNDLES_PREFIX = "bundles"
FAILED_STATUSES = ("Failed", "Stopped")
FailureStatus = Literal["Failed", "Stopped", "Invalid"]
MAX_REASON_CHARS = 4000  # keeps TrainingFailed far below EventBridge's 256 KB entry limit


def artifact_uri(detail: TrainingJobStateChange) -> str:
    """`{S3OutputPath}/{TrainingJobName}/output/model.tar.gz` (ModelArtifacts is not always in the event)."""
    if detail.OutputDataConfig is None:
        raise InvalidBundleError(f"event for {detail.TrainingJobName} carries no OutputDataConfig.S3OutputPath")
    return f"{detail.OutputDataConfig.S3OutputPath.rstrip('/')}/{detail.TrainingJobName}/output/model.tar.gz"


def bundle_uri(bucket: str, version: str) -> str:
    return f"s3://{bucket}/{BUNDLES_PREFIX}/{version}"


def handle_training_state_change(envelope: dict[str, Any], deps: EvaluationDeps) -> TrainingOutcome:
    """Act on one "SageMaker Training Job State Change" envelope; other jobs and non-terminal states are ignored.

    Raises pydantic.ValidationError for a malformed envelope, RegistryConflictError / EventPublishError /
    botocore errors for transient failures (the record is retried; the champion is never half-updated).
    """
    detail = TrainingJobStateChangeEnvelope.model_validate(envelope).detail
    job = detail.TrainingJobName
    if not job.startswith(f"{deps.settings.job_name_prefix}-"):
        return TrainingOutcome(training_job_name=job, action="ignored", reason="not a job of this stage")
    if detail.TrainingJobStatus in FAILED_STATUSES:
        status: FailureStatus = "Failed" if detail.TrainingJobStatus == "Failed" else "Stopped"
        reason = detail.FailureReason or f"training job {status.lower()} without a FailureReason"
        _publish_failure(detail, status, reason, deps)
        return TrainingOutcome(training_job_name=job, action="failed", reason=reason)
    if detail.TrainingJobStatus != "Completed":
        return TrainingOutcome(training_job_name=job, action="ignored", reason=f"status {detail.TrainingJobStatus}")
    try:
        bundle = fetch_verified_bundle(detail, deps)
    except InvalidBundleError as exc:
        _publish_failure(detail, "Invalid", str(exc), deps)
        return TrainingOutcome(training_job_name=job, action="invalid", reason=str(exc))
    return judge_candidate(detail, bundle, deps)


def fetch_verified_bundle(detail: TrainingJobStateChange, deps: EvaluationDeps) -> VerifiedBundle:
    """Download (size-capped), unpack safely and verify the job's bundle; raises InvalidBundleError."""
    s = deps.settings
    archive = deps.artifacts.read_object(artifact_uri(detail), s.max_artifact_bytes)
    limits = ExtractionLimits(max_file_bytes=s.max_bundle_file_bytes, max_total_bytes=s.max_bundle_total_bytes)
    return verify_bundle(extract_bundle_files(archive, limits))


def judge_candidate(detail: TrainingJobStateChange, bundle: VerifiedBundle, deps: EvaluationDeps) -> TrainingOutcome:
    """Gate a verified bundle against the champion, store it under bundles/<version>/ and record the verdict."""
    job, manifest, now = detail.TrainingJobName, bundle.manifest, deps.now()
    existing = deps.registry.get_version(manifest.version)
    if existing is not None:
        return _handle_known_version(existing, bundle, detail, deps)
    current = deps.registry.get_current()
    champion = deps.registry.get_version(current.version) if current else None
    metrics = manifest.metrics.headline()
    decision = decide_promotion(metrics, champion.metrics if champion else None, deps.settings.gate_tolerance)
    uri = bundle_uri(deps.settings.models_bucket, manifest.version)
    deps.artifacts.write_bundle(uri, bundle.files)
    entry = ModelVersion(
        version=manifest.version,
        status="promoted" if decision.promote else "rejected",
        bundle_uri=uri,
        metrics=metrics,
        file_hashes=bundle.file_hashes,
        model_kind=manifest.model_kind,
        training_job_name=job,
        features_uri=detail.channel_uri("train") or manifest.training_data.uri,
        created_at=manifest.created_at,
        registered_at=now,
        gate_reason=decision.reason,
        champion_version=champion.version if champion else None,
    )
    if not decision.promote:
        deps.registry.record_rejection(entry)
        deps.events.publish(
            ModelRejected(
                candidate_version=entry.version,
                champion_version=entry.champion_version,
                candidate_metrics=metrics,
                champion_metrics=champion.metrics if champion else {},
                tolerance=deps.settings.gate_tolerance,
                reason=decision.reason,
                rejected_at=now,
            )
        )
        return TrainingOutcome(training_job_name=job, action="rejected", version=entry.version, reason=decision.reason)
    pointer = CurrentPointer(
        version=entry.version,
        bundle_uri=uri,
        previous_version=current.version if current else None,
        cause="promoted",
        updated_at=now,
    )
    deps.registry.record_promotion(entry, pointer, expected_current=pointer.previous_version)
    deps.events.publish(model_updated_event(entry, pointer))
    return TrainingOutcome(training_job_name=job, action="promoted", version=entry.version, reason=decision.reason)


def _handle_known_version(
    existing: ModelVersion, bundle: VerifiedBundle, detail: TrainingJobStateChange, deps: EvaluationDeps
) -> TrainingOutcome:
    """A redelivered event is a no-op, except that a still-current promotion is announced again (the first
    announcement may have been lost); a different job reusing a version is an invalid bundle."""
    job = detail.TrainingJobName
    if (
        existing.training_job_name != job
        or existing.file_hashes.get(MANIFEST_FILE) != bundle.file_hashes[MANIFEST_FILE]
    ):
        reason = f"version {existing.version} is already registered by job {existing.training_job_name}"
        _publish_failure(detail, "Invalid", reason, deps)
        return TrainingOutcome(training_job_name=job, action="invalid", version=existing.version, reason=reason)
    current = deps.registry.get_current()
    if existing.status == "promoted" and current is not None and current.version == existing.version:
        deps.events.publish(model_updated_event(existing, current))
    return TrainingOutcome(
        training_job_name=job, action="duplicate", version=existing.version, reason=f"already {existing.status}"
    )


def _publish_failure(detail: TrainingJobStateChange, status: FailureStatus, reason: str, deps: EvaluationDeps) -> None:
    features_uri = detail.channel_uri("train")
    deps.events.publish(
        TrainingFailed(
            training_job_name=detail.TrainingJobName,
            status=status,
            reason=reason[:MAX_REASON_CHARS],
            features_uri=features_uri if features_uri and re.match(S3_URI_PATTERN, features_uri) else None,
            failed_at=deps.now(),
        )
    )
