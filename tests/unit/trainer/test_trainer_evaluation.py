"""handle_training_state_change with in-memory fakes: outcomes, registry records and emitted events."""

from typing import Any

import pytest
from airline_shared.events import ModelRejected, ModelUpdated, TrainingFailed
from helpers import load_event
from trainer.logic.errors import RegistryConflictError
from trainer.logic.evaluation import artifact_uri, handle_training_state_change
from trainer.logic.ports import EvaluationDeps
from trainer.models.incoming import TrainingJobStateChangeEnvelope
from trainer.models.outcomes import TrainingOutcome
from trainer_support import FIXED_NOW, FakeArtifacts, FakeEvents, FakeRegistry, bundle_files, tar_gz

JOB = "airline-dev-20261126-005812-26566c9d"


def _completed(job: str = JOB) -> dict[str, Any]:
    envelope = load_event("sagemaker_training_state_change_completed")
    envelope["detail"]["TrainingJobName"] = job
    return envelope


def _stage_output(artifacts: FakeArtifacts, envelope: dict[str, Any], archive: bytes) -> None:
    detail = TrainingJobStateChangeEnvelope.model_validate(envelope).detail
    artifacts.objects[artifact_uri(detail)] = archive


def _complete(job: str, files: dict[str, bytes], artifacts: FakeArtifacts, deps: EvaluationDeps) -> TrainingOutcome:
    """Stage `files` as the job's model.tar.gz and handle its Completed event."""
    envelope = _completed(job)
    _stage_output(artifacts, envelope, tar_gz(files))
    return handle_training_state_change(envelope, deps)


def test_artifact_location_is_derived_from_output_path_and_job_name() -> None:
    detail = TrainingJobStateChangeEnvelope.model_validate(_completed()).detail
    assert artifact_uri(detail) == (
        f"s3://airline-dev-models-123456789012-us-east-1/training-jobs/{JOB}/output/model.tar.gz"
    )


def test_first_valid_model_is_promoted_stored_and_announced(
    evaluation_deps: EvaluationDeps, artifacts: FakeArtifacts, registry: FakeRegistry, events: FakeEvents
) -> None:
    # Given a completed job whose output is a valid bundle and an empty registry
    envelope = _completed()
    files = bundle_files(version="v-0001")
    _stage_output(artifacts, envelope, tar_gz(files))
    # When the state change is handled
    outcome = handle_training_state_change(envelope, evaluation_deps)
    # Then it is promoted, copied to bundles/<version>/, the pointer moves and ModelUpdated is emitted
    assert outcome.action == "promoted"
    bundle_uri = "s3://airline-dev-models-123456789012-us-east-1/bundles/v-0001"
    assert all(artifacts.objects[f"{bundle_uri}/{name}"] == data for name, data in files.items())
    assert registry.current is not None and registry.current.version == "v-0001"
    [event] = events.published
    assert isinstance(event, ModelUpdated)
    assert event.bundle_uri == bundle_uri
    assert event.previous_version is None
    assert event.metrics["pr_auc"] == pytest.approx(0.40)
    assert set(event.file_hashes) == set(files)


def test_not_worse_candidate_replaces_the_champion(
    evaluation_deps: EvaluationDeps, artifacts: FakeArtifacts, registry: FakeRegistry, events: FakeEvents
) -> None:
    # Given a champion v-0001
    _complete("airline-dev-job-1", bundle_files(version="v-0001", pr_auc=0.40), artifacts, evaluation_deps)
    # When a candidate within tolerance completes
    outcome = _complete("airline-dev-job-2", bundle_files(version="v-0002", pr_auc=0.397), artifacts, evaluation_deps)
    # Then it becomes current and names its predecessor
    assert outcome.action == "promoted"
    assert registry.current is not None and registry.current.version == "v-0002"
    assert events.published[-1].previous_version == "v-0001"  # type: ignore[attr-defined]


def test_worse_candidate_is_rejected_and_the_champion_keeps_serving(
    evaluation_deps: EvaluationDeps, artifacts: FakeArtifacts, registry: FakeRegistry, events: FakeEvents
) -> None:
    # Given a champion with PR-AUC 0.40
    _complete("airline-dev-job-1", bundle_files(version="v-0001", pr_auc=0.40), artifacts, evaluation_deps)
    # When a candidate with PR-AUC 0.30 completes
    outcome = _complete("airline-dev-job-2", bundle_files(version="v-0002", pr_auc=0.30), artifacts, evaluation_deps)
    # Then ModelRejected carries the comparison, the pointer is unchanged, the candidate is recorded as rejected
    assert outcome.action == "rejected"
    assert registry.current is not None and registry.current.version == "v-0001"
    assert registry.versions["v-0002"].status == "rejected"
    rejected = events.published[-1]
    assert isinstance(rejected, ModelRejected)
    assert rejected.champion_version == "v-0001"
    assert rejected.candidate_metrics["pr_auc"] == pytest.approx(0.30)
    assert rejected.champion_metrics["pr_auc"] == pytest.approx(0.40)
    assert rejected.tolerance == pytest.approx(0.005)
    assert "pr_auc" in rejected.reason


def test_corrupted_bundle_emits_training_failed_invalid_and_promotes_nothing(
    evaluation_deps: EvaluationDeps, artifacts: FakeArtifacts, registry: FakeRegistry, events: FakeEvents
) -> None:
    # Given an output whose model.npz does not match its manifest hash
    files = bundle_files() | {"model.npz": b"corrupted"}
    envelope = _completed()
    _stage_output(artifacts, envelope, tar_gz(files))
    # When handled
    outcome = handle_training_state_change(envelope, evaluation_deps)
    # Then TrainingFailed(Invalid) explains why; registry untouched
    assert outcome.action == "invalid"
    [failed] = events.published
    assert isinstance(failed, TrainingFailed)
    assert failed.status == "Invalid"
    assert "model.npz" in failed.reason
    assert failed.features_uri is not None and failed.features_uri.startswith("s3://")
    assert registry.current is None and registry.versions == {}


def test_missing_output_is_an_invalid_training_result(evaluation_deps: EvaluationDeps, events: FakeEvents) -> None:
    outcome = handle_training_state_change(_completed(), evaluation_deps)
    assert outcome.action == "invalid"
    assert "does not exist" in events.published[0].reason  # type: ignore[attr-defined]


def test_failed_job_emits_training_failed_with_the_failure_reason(
    evaluation_deps: EvaluationDeps, registry: FakeRegistry, events: FakeEvents
) -> None:
    envelope = load_event("sagemaker_training_state_change_failed")
    outcome = handle_training_state_change(envelope, evaluation_deps)
    assert outcome.action == "failed"
    [failed] = events.published
    assert isinstance(failed, TrainingFailed)
    assert failed.status == "Failed"
    assert "only one class" in failed.reason
    assert failed.failed_at == FIXED_NOW
    assert registry.current is None


def test_stopped_job_without_reason_still_explains_itself(evaluation_deps: EvaluationDeps, events: FakeEvents) -> None:
    envelope = load_event("sagemaker_training_state_change_failed")
    envelope["detail"]["TrainingJobStatus"] = "Stopped"
    del envelope["detail"]["FailureReason"]
    handle_training_state_change(envelope, evaluation_deps)
    [failed] = events.published
    assert failed.status == "Stopped"  # type: ignore[attr-defined]
    assert "stopped" in failed.reason  # type: ignore[attr-defined]


@pytest.mark.parametrize("status", ["InProgress", "Stopping"])
def test_non_terminal_states_are_ignored(status: str, evaluation_deps: EvaluationDeps, events: FakeEvents) -> None:
    envelope = _completed()
    envelope["detail"]["TrainingJobStatus"] = status
    assert handle_training_state_change(envelope, evaluation_deps).action == "ignored"
    assert events.published == []


def test_jobs_of_other_stages_or_tools_are_ignored(evaluation_deps: EvaluationDeps, events: FakeEvents) -> None:
    envelope = load_event("sagemaker_training_state_change_failed")
    envelope["detail"]["TrainingJobName"] = "airline-prod-20261126-005812-26566c9d"
    assert handle_training_state_change(envelope, evaluation_deps).action == "ignored"
    assert events.published == []


def test_redelivered_completion_records_once_and_reannounces_the_current_model(
    evaluation_deps: EvaluationDeps, artifacts: FakeArtifacts, registry: FakeRegistry, events: FakeEvents
) -> None:
    # Given a promotion already handled
    envelope = _completed()
    _stage_output(artifacts, envelope, tar_gz(bundle_files(version="v-0001")))
    handle_training_state_change(envelope, evaluation_deps)
    # When the same event arrives again
    outcome = handle_training_state_change(envelope, evaluation_deps)
    # Then nothing new is recorded; ModelUpdated is repeated (the first may have been lost)
    assert outcome.action == "duplicate"
    assert list(registry.versions) == ["v-0001"]
    assert [e.DETAIL_TYPE for e in events.published] == ["ModelUpdated", "ModelUpdated"]


def test_another_job_reusing_a_registered_version_is_invalid(
    evaluation_deps: EvaluationDeps, artifacts: FakeArtifacts, registry: FakeRegistry, events: FakeEvents
) -> None:
    _complete("airline-dev-job-1", bundle_files(version="v-0001"), artifacts, evaluation_deps)
    outcome = _complete("airline-dev-job-2", bundle_files(version="v-0001", pr_auc=0.9), artifacts, evaluation_deps)
    assert outcome.action == "invalid"
    assert "already registered" in outcome.reason
    assert registry.versions["v-0001"].training_job_name == "airline-dev-job-1"


def test_lost_pointer_race_raises_for_retry_and_records_nothing(
    evaluation_deps: EvaluationDeps, artifacts: FakeArtifacts, registry: FakeRegistry, events: FakeEvents
) -> None:
    # Given a registry whose pointer moves between read and write (another promotion won)
    class RacingRegistry(FakeRegistry):
        def record_promotion(self, entry, pointer, expected_current):  # type: ignore[no-untyped-def]
            raise RegistryConflictError("pointer moved")

    racing = RacingRegistry()
    deps = EvaluationDeps(artifacts, racing, events, evaluation_deps.settings, evaluation_deps.now)
    envelope = _completed()
    _stage_output(artifacts, envelope, tar_gz(bundle_files()))
    # When handled / Then the conflict propagates (SQS retries) and no event claims a promotion
    with pytest.raises(RegistryConflictError):
        handle_training_state_change(envelope, deps)
    assert events.published == []
