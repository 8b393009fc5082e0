"""Reload on ModelUpdated with moto S3 + SSM + the trainer's DynamoDB registry: the registry decides what serves.

The registry is written by the trainer's own adapter (DynamoModelRegistry) and rollback logic, so these
tests also pin the contract between the trainer's registry items and the predictor's reader.
"""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from airline_shared.bundle import MODEL_FILE
from airline_shared.events import ModelUpdated
from airline_shared.scoring import sha256_hex
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from helpers import load_event
from moto import mock_aws
from predictor.adapters import bundles
from predictor.adapters.registry import RegistryReader
from predictor.handlers import api, reload
from predictor_testkit import bundle_files
from trainer.adapters.registry import DynamoModelRegistry
from trainer.logic.ports import RegistryDeps
from trainer.logic.rollback import rollback_model
from trainer.models.registry import CurrentPointer, ModelVersion, model_updated_event
from trainer_support import FakeEvents, create_registry_table

BUCKET = "airline-dev-models"
PARAM = "/airline/dev/predictor/current-model"
TABLE = "airline-dev-model-registry"
PLACEHOLDER = '{"version": null, "bundle_uri": null}'
FORGED_AT = datetime(2099, 1, 1, tzinfo=UTC)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Models bucket, registry table, the deploy-time placeholder pointer; both functions configured by settings."""
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        create_registry_table(TABLE)
        boto3.client("ssm").put_parameter(Name=PARAM, Value=PLACEHOLDER, Type="String")
        monkeypatch.setenv("MODELS_BUCKET", BUCKET)
        monkeypatch.setenv("MODEL_POINTER_PARAM", PARAM)
        monkeypatch.setenv("REGISTRY_TABLE", TABLE)
        monkeypatch.setenv("POINTER_MAX_AGE_SECONDS", "0")
        monkeypatch.delenv("MODEL_DIR", raising=False)
        _reset()
        yield s3
        _reset()


def _reset() -> None:
    api.install_model_holder(None)
    reload.reload_deps.cache_clear()
    bundles.s3_client.cache_clear()


def _register(s3: Any, version: str, status: str = "promoted", corrupt: bool = False) -> ModelVersion:
    """Upload a bundle and build its registry entry with the hashes the trainer verified (before any corruption)."""
    files = bundle_files(version, bias=0.0 if version == "v1" else 2.0)
    hashes = {name: sha256_hex(data) for name, data in files.items()}
    if corrupt:
        files[MODEL_FILE] = files[MODEL_FILE][:-10] + b"0123456789"
    for name, data in files.items():
        s3.put_object(Bucket=BUCKET, Key=f"bundles/{version}/{name}", Body=data)
    now = datetime.now(UTC)
    return ModelVersion(
        version=version,
        status=status,  # type: ignore[arg-type]
        bundle_uri=f"s3://{BUCKET}/bundles/{version}/",
        metrics={"roc_auc": 0.8},
        file_hashes=hashes,
        model_kind="hgb",
        training_job_name=f"airline-dev-job-{version}",
        features_uri="s3://airline-dev-processed/features/snapshots/r1/",
        created_at=now,
        registered_at=now,
        gate_reason="test",
    )


def _promote_in_registry(s3: Any, version: str, corrupt: bool = False) -> ModelUpdated:
    """What the trainer does on a promotion: record it (version + CURRENT), return the ModelUpdated it emits."""
    registry = DynamoModelRegistry(TABLE)
    entry = _register(s3, version, corrupt=corrupt)
    current = registry.get_current()
    pointer = CurrentPointer(
        version=version,
        bundle_uri=entry.bundle_uri,
        previous_version=current.version if current else None,
        cause="promoted",
        updated_at=datetime.now(UTC),
    )
    registry.record_promotion(entry, pointer, expected_current=pointer.previous_version)
    return model_updated_event(entry, pointer)


def _sqs(detail: ModelUpdated) -> dict[str, Any]:
    """The SQS batch the reload queue delivers for `detail` (EventBridge envelope in the body)."""
    event = load_event("sqs_model_updated")
    envelope = json.loads(event["Records"][0]["body"])
    envelope["detail"] = json.loads(detail.model_dump_json())
    event["Records"][0]["body"] = json.dumps(envelope)
    return event


def _deliver(detail: ModelUpdated, context: Any) -> dict[str, Any]:
    return reload.lambda_handler(_sqs(detail), context)


def _promote(s3: Any, version: str, context: Any, corrupt: bool = False) -> dict[str, Any]:
    return _deliver(_promote_in_registry(s3, version, corrupt), context)


def _forged(version: str, promoted_at: datetime, hashes: dict[str, str] | None = None) -> ModelUpdated:
    """A schema-valid ModelUpdated anyone with events:PutEvents on the bus could send."""
    return ModelUpdated(
        version=version,
        bundle_uri=f"s3://{BUCKET}/bundles/{version}/",
        metrics={"roc_auc": 0.99},
        file_hashes=hashes or {},
        promoted_at=promoted_at,
    )


def _predict(context: Any) -> tuple[int, dict[str, Any]]:
    result = api.lambda_handler(load_event("apigw_predict_seed"), context)
    return result["statusCode"], json.loads(result["body"])


def _pointer() -> dict[str, Any]:
    return json.loads(boto3.client("ssm").get_parameter(Name=PARAM)["Parameter"]["Value"])


def test_placeholder_pointer_answers_503(aws: Any, lambda_context: Any) -> None:
    status, body = _predict(lambda_context)
    assert (status, body["error"]) == (503, "no_model")


def test_model_updated_moves_the_pointer_and_the_predictor_serves_it(aws: Any, lambda_context: Any) -> None:
    # When v1 is promoted in the registry and its ModelUpdated reaches the SQS-fed reload function
    detail = _promote_in_registry(aws, "v1")
    result = _deliver(detail, lambda_context)
    # Then the pointer names v1 (with the registry's promotion time) and the predictor answers with it
    assert result == {"batchItemFailures": []}
    assert _pointer() == {
        "version": "v1",
        "bundle_uri": f"s3://{BUCKET}/bundles/v1/",
        "promoted_at": detail.promoted_at.isoformat().replace("+00:00", "Z"),
    }
    status, body = _predict(lambda_context)
    assert (status, body["model_version"]) == (200, "v1")


def test_warm_predictor_answers_with_the_second_model_after_the_pointer_age(aws: Any, lambda_context: Any) -> None:
    # Given a warm predictor serving v1
    _promote(aws, "v1", lambda_context)
    _, first = _predict(lambda_context)
    # When v2 is promoted (pointer max age 0 in this test)
    _promote(aws, "v2", lambda_context)
    _, second = _predict(lambda_context)
    # Then the same warm handler answers with v2, and its answer differs from v1's
    assert (first["model_version"], second["model_version"]) == ("v1", "v2")
    assert second["risk_assessment"]["risk_probability"] > first["risk_assessment"]["risk_probability"]


def test_pointer_reads_are_cached_for_the_max_age(
    aws: Any, lambda_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a predictor whose pointer cache lasts 5 minutes, warm on v1
    monkeypatch.setenv("POINTER_MAX_AGE_SECONDS", "300")
    _reset()
    _promote(aws, "v1", lambda_context)
    _predict(lambda_context)
    # When v2 is promoted
    _promote(aws, "v2", lambda_context)
    # Then within the max age the cached pointer still serves v1
    assert _predict(lambda_context)[1]["model_version"] == "v1"


def test_corrupted_bundle_is_refused_and_the_old_model_keeps_serving(aws: Any, lambda_context: Any) -> None:
    # Given v1 serving
    _promote(aws, "v1", lambda_context)
    _predict(lambda_context)
    # When v2's bundle is corrupted in S3 after the trainer registered it, Then the reload fails (retried, then DLQ)
    with pytest.raises(BatchProcessingError):
        _promote(aws, "v2", lambda_context, corrupt=True)
    # And the pointer and the answers stay on v1
    assert _pointer()["version"] == "v1"
    status, body = _predict(lambda_context)
    assert (status, body["model_version"]) == (200, "v1")


def test_direct_eventbridge_invocation_is_accepted(aws: Any, lambda_context: Any) -> None:
    envelope = load_event("eventbridge_model_updated")
    envelope["detail"] = json.loads(_promote_in_registry(aws, "v1").model_dump_json())
    reload.lambda_handler(envelope, lambda_context)
    assert _pointer()["version"] == "v1"


def test_forged_future_model_updated_is_refused_and_serving_unchanged(aws: Any, lambda_context: Any) -> None:
    # Given v1 promoted and served, and a valid v2 bundle uploaded but never judged by the trainer
    _promote(aws, "v1", lambda_context)
    _register(aws, "v2")
    # When a ModelUpdated dated 2099 names v2
    with pytest.raises(BatchProcessingError):
        _deliver(_forged("v2", FORGED_AT), lambda_context)
    # Then the pointer is untouched and v1 answers
    assert _pointer()["version"] == "v1"
    assert _predict(lambda_context)[1]["model_version"] == "v1"


def test_model_updated_for_a_rejected_bundle_never_serves_it(aws: Any, lambda_context: Any) -> None:
    # Given v1 promoted and v2 rejected by the quality gate (its bundle is valid and in the models bucket)
    _promote(aws, "v1", lambda_context)
    rejected = _register(aws, "v2", status="rejected")
    DynamoModelRegistry(TABLE).record_rejection(rejected)
    # When a forged, current-dated ModelUpdated names v2 with its true hashes
    result = _deliver(_forged("v2", datetime.now(UTC), rejected.file_hashes), lambda_context)
    # Then the reload serves the registry's CURRENT (v1), never v2
    assert result == {"batchItemFailures": []}
    assert _pointer()["version"] == "v1"
    assert _predict(lambda_context)[1]["model_version"] == "v1"


def test_rollback_after_a_forged_event_changes_what_is_served(aws: Any, lambda_context: Any) -> None:
    # Given v1 then v2 promoted and served, a pointer frozen in 2099 (what a forged event did before this fix)
    _promote(aws, "v1", lambda_context)
    _promote(aws, "v2", lambda_context)
    frozen = _pointer() | {"promoted_at": "2099-01-01T00:00:00Z"}
    boto3.client("ssm").put_parameter(Name=PARAM, Value=json.dumps(frozen), Type="String", Overwrite=True)
    # and a forged 2099 event, refused
    with pytest.raises(BatchProcessingError):
        _deliver(_forged("v2", FORGED_AT), lambda_context)
    # When the operator rolls back to v1 (`airline model rollback v1`: the registry's CURRENT moves, an event follows)
    events = FakeEvents()
    rollback_model("v1", RegistryDeps(registry=DynamoModelRegistry(TABLE), events=events))
    (announced,) = events.of_type("ModelUpdated")
    result = _deliver(announced, lambda_context)
    # Then the pointer and the answers follow the registry to v1
    assert result == {"batchItemFailures": []}
    assert _pointer()["version"] == "v1"
    assert _predict(lambda_context)[1]["model_version"] == "v1"


def test_the_reader_parses_what_the_trainer_writes(aws: Any) -> None:
    # Given nothing promoted, then v1 promoted by the trainer's registry adapter
    reader = RegistryReader(TABLE)
    assert reader.current() is None
    _promote_in_registry(aws, "v1")
    # Then the predictor reads CURRENT and the version item as the trainer recorded them
    current, entry = reader.current(), reader.version("v1")
    assert current is not None and (current.version, current.bundle_uri) == ("v1", f"s3://{BUCKET}/bundles/v1/")
    assert entry is not None and entry.status == "promoted" and "manifest.json" in entry.file_hashes
    assert reader.version("v9") is None
