"""Training job state change -> verify, gate, registry, events; end to end on moto with the real adapters."""

import importlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest
from airline_shared.bundle import MANIFEST_FILE
from airline_shared.events import ModelRejected, ModelUpdated, TrainingFailed, parse_detail
from helpers import load_event
from trainer.adapters.registry import DynamoModelRegistry
from trainer.adapters.wiring import build_evaluation_deps, build_launch_deps
from trainer.logic.errors import RegistryConflictError
from trainer.logic.evaluation import handle_training_state_change
from trainer.logic.launch import handle_features_ready
from trainer.logic.ports import EvaluationDeps
from trainer.models.registry import CurrentPointer
from trainer.models.settings import EvaluationSettings, TrainingLaunchSettings
from trainer_support import MODELS_BUCKET, REGISTRY_TABLE, bundle_files, sqs_event, tar_gz

Events = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def deps(aws: None) -> EvaluationDeps:
    return build_evaluation_deps(EvaluationSettings())


@pytest.fixture
def state_handler() -> Iterator[ModuleType]:
    module = importlib.import_module("trainer.handlers.training_state_change")
    module._deps.cache_clear()
    yield module
    module._deps.cache_clear()


def _start_job(run_id: str) -> dict[str, Any]:
    """Launch a job for a FeaturesReady, then shape its Completed state-change event from DescribeTrainingJob."""
    features = load_event("features_ready")
    features["detail"]["run_id"] = run_id
    outcome = handle_features_ready(features, build_launch_deps(TrainingLaunchSettings()))
    described = boto3.client("sagemaker").describe_training_job(TrainingJobName=outcome.training_job_name)
    envelope = load_event("sagemaker_training_state_change_completed")
    envelope["detail"] |= {
        "TrainingJobName": described["TrainingJobName"],
        "TrainingJobArn": described["TrainingJobArn"],
        "OutputDataConfig": described["OutputDataConfig"],
        "InputDataConfig": described["InputDataConfig"],
    }
    envelope["resources"] = [described["TrainingJobArn"]]
    return envelope


def _upload_output(envelope: dict[str, Any], archive: bytes) -> None:
    """Write model.tar.gz where SageMaker puts it: {S3OutputPath}/{job}/output/model.tar.gz."""
    key = f"training-jobs/{envelope['detail']['TrainingJobName']}/output/model.tar.gz"
    boto3.client("s3").put_object(Bucket=MODELS_BUCKET, Key=key, Body=archive)


def _details(captured: Events) -> list[Any]:
    return [parse_detail(e["detail-type"], e["detail"]) for e in captured()]


def _pointer_version() -> str:
    item = boto3.client("dynamodb").get_item(TableName=REGISTRY_TABLE, Key={"pk": {"S": "CURRENT"}})["Item"]
    return str(item["version"]["S"])


def test_completed_job_with_valid_bundle_is_promoted_registered_and_announced(
    deps: EvaluationDeps, captured_events: Events
) -> None:
    # Given a job launched from FeaturesReady whose output is a valid bundle
    envelope = _start_job("run-1")
    files = bundle_files(version="v-0001")
    _upload_output(envelope, tar_gz(files, prefix="./"))
    # When its Completed event is handled
    outcome = handle_training_state_change(envelope, deps)
    # Then the bundle is under bundles/v-0001/, CURRENT points at it and ModelUpdated is on the bus
    assert outcome.action == "promoted"
    s3 = boto3.client("s3")
    for name, data in files.items():
        assert s3.get_object(Bucket=MODELS_BUCKET, Key=f"bundles/v-0001/{name}")["Body"].read() == data
    assert _pointer_version() == "v-0001"
    [updated] = _details(captured_events)
    assert isinstance(updated, ModelUpdated)
    assert updated.bundle_uri == f"s3://{MODELS_BUCKET}/bundles/v-0001"
    assert updated.cause == "promoted"
    assert updated.file_hashes[MANIFEST_FILE]


def test_worse_candidate_is_rejected_and_champion_stays_current(deps: EvaluationDeps, captured_events: Events) -> None:
    # Given a promoted champion
    first = _start_job("run-1")
    _upload_output(first, tar_gz(bundle_files(version="v-0001", roc_auc=0.80, pr_auc=0.40)))
    handle_training_state_change(first, deps)
    # When a clearly worse candidate completes
    second = _start_job("run-2")
    _upload_output(second, tar_gz(bundle_files(version="v-0002", roc_auc=0.70, pr_auc=0.41)))
    outcome = handle_training_state_change(second, deps)
    # Then ModelRejected compares both, CURRENT is unchanged, the candidate is kept and recorded as rejected
    assert outcome.action == "rejected"
    assert _pointer_version() == "v-0001"
    rejected = _details(captured_events)[-1]
    assert isinstance(rejected, ModelRejected)
    assert (rejected.candidate_version, rejected.champion_version) == ("v-0002", "v-0001")
    assert rejected.candidate_metrics["roc_auc"] == pytest.approx(0.70)
    assert rejected.champion_metrics["roc_auc"] == pytest.approx(0.80)
    entry = DynamoModelRegistry(REGISTRY_TABLE).get_version("v-0002")
    assert entry is not None and entry.status == "rejected"
    boto3.client("s3").head_object(Bucket=MODELS_BUCKET, Key="bundles/v-0002/manifest.json")


def test_corrupted_bundle_emits_training_failed_invalid_and_promotes_nothing(
    deps: EvaluationDeps, captured_events: Events
) -> None:
    # Given an output archive whose model.npz was altered after hashing
    envelope = _start_job("run-1")
    _upload_output(envelope, tar_gz(bundle_files() | {"model.npz": b"garbage"}))
    # When handled
    outcome = handle_training_state_change(envelope, deps)
    # Then TrainingFailed(Invalid) with the reason; no pointer, no bundle copied
    assert outcome.action == "invalid"
    [failed] = _details(captured_events)
    assert isinstance(failed, TrainingFailed)
    assert failed.status == "Invalid" and "sha256" in failed.reason
    assert DynamoModelRegistry(REGISTRY_TABLE).get_current() is None
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=MODELS_BUCKET, Prefix="bundles/")


def test_output_archive_over_the_size_cap_is_invalid(captured_events: Events, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a 1 KB cap on model.tar.gz
    monkeypatch.setenv("MAX_ARTIFACT_BYTES", "1024")
    envelope = _start_job("run-1")
    _upload_output(envelope, tar_gz(bundle_files()))
    # When handled / Then the download is refused before reading
    outcome = handle_training_state_change(envelope, build_evaluation_deps(EvaluationSettings()))
    assert outcome.action == "invalid"
    assert "1024 byte cap" in outcome.reason


def test_failed_job_through_the_handler_emits_training_failed(
    aws: None, captured_events: Events, state_handler: ModuleType, lambda_context: object
) -> None:
    # Given the real Failed event delivered via SQS
    envelope = load_event("sagemaker_training_state_change_failed")
    # When the Lambda handler runs
    response = state_handler.lambda_handler(sqs_event(envelope), lambda_context)
    # Then the record succeeds and TrainingFailed carries SageMaker's FailureReason
    assert response == {"batchItemFailures": []}
    [failed] = _details(captured_events)
    assert isinstance(failed, TrainingFailed)
    assert failed.status == "Failed"
    assert failed.reason == envelope["detail"]["FailureReason"]
    assert failed.training_job_name == envelope["detail"]["TrainingJobName"]


def test_completed_event_delivered_twice_through_the_handler_registers_once(
    aws: None, captured_events: Events, state_handler: ModuleType, lambda_context: object
) -> None:
    envelope = _start_job("run-1")
    _upload_output(envelope, tar_gz(bundle_files(version="v-0001")))
    state_handler.lambda_handler(sqs_event(envelope), lambda_context)
    response = state_handler.lambda_handler(sqs_event(envelope), lambda_context)
    assert response == {"batchItemFailures": []}
    assert [v.version for v in DynamoModelRegistry(REGISTRY_TABLE).list_versions()] == ["v-0001"]


def test_promotion_loses_a_pointer_race_atomically(deps: EvaluationDeps, captured_events: Events) -> None:
    # Given a pointer that moved after it was read (expected None, actual v-0001)
    registry = DynamoModelRegistry(REGISTRY_TABLE)
    envelope = _start_job("run-1")
    _upload_output(envelope, tar_gz(bundle_files(version="v-0001")))
    handle_training_state_change(envelope, deps)
    entry = registry.get_version("v-0001")
    assert entry is not None
    late = entry.model_copy(update={"version": "v-0002"})
    pointer = CurrentPointer(
        version="v-0002", bundle_uri="s3://b/bundles/v-0002", cause="promoted", updated_at=entry.registered_at
    )
    # When a promotion is attempted with the stale expectation
    with pytest.raises(RegistryConflictError):
        registry.record_promotion(late, pointer, expected_current=None)
    # Then neither the version item nor the pointer changed
    assert registry.get_version("v-0002") is None
    assert _pointer_version() == "v-0001"
