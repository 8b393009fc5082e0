"""Reload on ModelUpdated with moto S3 + SSM: verify, move the pointer, warm predictor follows it."""

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from airline_shared.bundle import MODEL_FILE
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from helpers import load_event
from moto import mock_aws
from predictor.adapters import bundles
from predictor.handlers import api, reload
from predictor_testkit import bundle_files

BUCKET = "airline-dev-models"
PARAM = "/airline/dev/predictor/current-model"
PLACEHOLDER = '{"version": null, "bundle_uri": null}'


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Models bucket + the deploy-time placeholder pointer; both functions configured by settings."""
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        boto3.client("ssm").put_parameter(Name=PARAM, Value=PLACEHOLDER, Type="String")
        monkeypatch.setenv("MODELS_BUCKET", BUCKET)
        monkeypatch.setenv("MODEL_POINTER_PARAM", PARAM)
        monkeypatch.setenv("POINTER_MAX_AGE_SECONDS", "0")
        monkeypatch.delenv("MODEL_DIR", raising=False)
        _reset()
        yield s3
        _reset()


def _reset() -> None:
    api.install_model_holder(None)
    reload.reload_deps.cache_clear()
    bundles.s3_client.cache_clear()


def _upload(s3: Any, version: str, corrupt: bool = False) -> str:
    files = bundle_files(version, bias=0.0 if version == "v1" else 2.0)
    if corrupt:
        files[MODEL_FILE] = files[MODEL_FILE][:-10] + b"0123456789"
    for name, data in files.items():
        s3.put_object(Bucket=BUCKET, Key=f"bundles/{version}/{name}", Body=data)
    return f"s3://{BUCKET}/bundles/{version}/"


def _model_updated_sqs(version: str, uri: str) -> dict[str, Any]:
    event = load_event("sqs_model_updated")
    envelope = json.loads(event["Records"][0]["body"])
    envelope["detail"] |= {"version": version, "bundle_uri": uri}
    event["Records"][0]["body"] = json.dumps(envelope)
    return event


def _promote(s3: Any, version: str, context: Any, corrupt: bool = False) -> dict[str, Any]:
    return reload.lambda_handler(_model_updated_sqs(version, _upload(s3, version, corrupt)), context)


def _predict(context: Any) -> tuple[int, dict[str, Any]]:
    result = api.lambda_handler(load_event("apigw_predict_seed"), context)
    return result["statusCode"], json.loads(result["body"])


def _pointer() -> dict[str, Any]:
    return json.loads(boto3.client("ssm").get_parameter(Name=PARAM)["Parameter"]["Value"])


def test_placeholder_pointer_answers_503(aws: Any, lambda_context: Any) -> None:
    status, body = _predict(lambda_context)
    assert (status, body["error"]) == (503, "no_model")


def test_model_updated_moves_the_pointer_and_the_predictor_serves_it(aws: Any, lambda_context: Any) -> None:
    # When v1 is promoted through the SQS-fed reload function
    result = _promote(aws, "v1", lambda_context)
    # Then the pointer names v1 and the predictor answers with it
    assert result == {"batchItemFailures": []}
    assert _pointer() == {
        "version": "v1",
        "bundle_uri": f"s3://{BUCKET}/bundles/v1/",
        "promoted_at": "2026-11-26T01:20:00Z",
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
    # When a corrupted v2 is announced, Then the reload fails (message retried, then DLQ)
    with pytest.raises(BatchProcessingError):
        _promote(aws, "v2", lambda_context, corrupt=True)
    # And the pointer and the answers stay on v1
    assert _pointer()["version"] == "v1"
    status, body = _predict(lambda_context)
    assert (status, body["model_version"]) == (200, "v1")


def test_direct_eventbridge_invocation_is_accepted(aws: Any, lambda_context: Any) -> None:
    envelope = load_event("eventbridge_model_updated")
    envelope["detail"] |= {"version": "v1", "bundle_uri": _upload(aws, "v1")}
    reload.lambda_handler(envelope, lambda_context)
    assert _pointer()["version"] == "v1"
