"""The predict Lambda handler end to end with real API Gateway REST proxy events and a local bundle."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from airline_shared.api import MAX_BODY_BYTES, BatchPredictResponse, ErrorResponse, HealthResponse, PredictResponse
from helpers import load_event
from predictor.handlers import api
from predictor.logic.serving import ModelHolder
from predictor_testkit import seed_request, write_bundle

OPENAPI_FILE = Path(__file__).parents[3] / "services" / "predictor" / "openapi.json"


@pytest.fixture
def bundle_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The API configured (through settings) to serve a local v1 bundle."""
    directory = write_bundle(tmp_path / "bundle", "v1")
    monkeypatch.setenv("MODEL_DIR", str(directory))
    api.install_model_holder(None)
    yield directory
    api.install_model_holder(None)


@pytest.fixture
def no_model() -> Iterator[None]:
    """The API with a pointer that holds no version yet (the deploy-time placeholder)."""
    api.install_model_holder(ModelHolder(lambda: None, lambda uri: {}))
    yield
    api.install_model_holder(None)


def _call(event: dict[str, Any], context: Any) -> tuple[int, dict[str, Any]]:
    result = api.lambda_handler(event, context)
    return result["statusCode"], json.loads(result["body"])


def _with_body(body: str, name: str = "apigw_predict_seed") -> dict[str, Any]:
    event = load_event(name)
    event["body"] = body
    return event


def test_seed_documented_request_returns_200_in_the_seed_shape(bundle_dir: Path, lambda_context: Any) -> None:
    # Given the seed's documented request as API Gateway delivers it
    event = load_event("apigw_predict_seed")
    # When the handler answers
    status, body = _call(event, lambda_context)
    # Then 200 with the seed's fields (plus the model version)
    assert status == 200
    assert body["flight_info"] == {"carrier": "DL", "route": "ATL-LAX"}
    assessment = body["risk_assessment"]
    assert set(assessment) == {"risk_probability", "risk_class", "risk_tier"}
    assert 0.0 <= assessment["risk_probability"] <= 1.0
    assert assessment["risk_class"] in (0, 1)
    assert assessment["risk_tier"] in ("Low", "Medium", "High", "Critical")
    assert body["recommendations"] and all(isinstance(r, str) for r in body["recommendations"])
    assert body["model_version"] == "v1"
    PredictResponse.model_validate(body)


def test_seed_request_gets_the_high_risk_recommendations(bundle_dir: Path, lambda_context: Any) -> None:
    _, body = _call(load_event("apigw_predict_seed"), lambda_context)
    assert body["risk_assessment"]["risk_tier"] == "Critical"
    assert body["recommendations"] == [
        "⚠️ HIGH CASCADE RISK DETECTED",
        "Consider aircraft swap - incoming delay: 30 min",
        "Tight turnaround detected (45 min) - add buffer time",
    ]


def test_omitted_averages_are_filled_and_reported(bundle_dir: Path, lambda_context: Any) -> None:
    event = _with_body(json.dumps(seed_request(routeavgarrdelay=..., carrieravgarrdelay=..., origin="BOS")))
    status, body = _call(event, lambda_context)
    assert status == 200
    assert body["filled_fields"] == {"routeavgarrdelay": 7.25, "carrieravgarrdelay": 6.5}


def test_invalid_json_is_400(bundle_dir: Path, lambda_context: Any) -> None:
    status, body = _call(_with_body('{"flight_date": "2025-11-04",'), lambda_context)
    assert status == 400
    assert ErrorResponse.model_validate(body).error == "invalid_json"


def test_schema_violations_are_422_listing_each_field(bundle_dir: Path, lambda_context: Any) -> None:
    # Given a request with no carrier, a lowercase origin and an unknown field
    request = seed_request(carrier=..., origin="atl") | {"tail": "N123"}
    # When sent
    status, body = _call(_with_body(json.dumps(request)), lambda_context)
    # Then 422 naming every offending field
    assert status == 422
    error = ErrorResponse.model_validate(body)
    assert error.error == "validation_error"
    assert {d.field for d in error.details} == {"carrier", "origin", "tail"}


def test_body_over_the_limit_is_413(bundle_dir: Path, lambda_context: Any) -> None:
    padding = " " * (MAX_BODY_BYTES + 1)
    status, body = _call(_with_body(json.dumps(seed_request()) + padding), lambda_context)
    assert status == 413
    assert body["error"] == "payload_too_large"


def test_no_promoted_model_is_503_saying_to_promote_one(no_model: None, lambda_context: Any) -> None:
    # Given a predictor whose pointer holds no version yet (fixture no_model)
    status, body = _call(load_event("apigw_predict_seed"), lambda_context)
    assert status == 503
    assert body["error"] == "no_model"
    assert "train one and promote it" in body["message"]


def test_unknown_route_is_404(bundle_dir: Path, lambda_context: Any) -> None:
    event = load_event("apigw_health")
    event["path"] = event["resource"] = "/predictions"
    status, body = _call(event, lambda_context)
    assert status == 404
    assert body["error"] == "not_found"


def test_batch_answers_every_flight_with_one_version(bundle_dir: Path, lambda_context: Any) -> None:
    status, body = _call(load_event("apigw_predict_batch"), lambda_context)
    assert status == 200
    batch = BatchPredictResponse.model_validate(body)
    assert [p.flight_info.route for p in batch.predictions] == ["ATL-LAX", "JFK-SFO"]
    assert {p.model_version for p in batch.predictions} == {batch.model_version} == {"v1"}


def test_batch_over_the_limit_is_422(bundle_dir: Path, lambda_context: Any) -> None:
    event = _with_body(json.dumps({"flights": [seed_request()] * 101}), "apigw_predict_batch")
    status, body = _call(event, lambda_context)
    assert status == 422
    assert body["details"][0]["field"] == "flights"


def test_health_reports_the_serving_version(bundle_dir: Path, lambda_context: Any) -> None:
    status, body = _call(load_event("apigw_health"), lambda_context)
    assert status == 200
    health = HealthResponse.model_validate(body)
    assert (health.status, health.model_version) == ("ok", "v1")
    assert health.loaded_at is not None


def test_openapi_document_is_served(bundle_dir: Path, lambda_context: Any) -> None:
    event = load_event("apigw_health")
    event["path"] = event["resource"] = "/openapi.json"
    status, body = _call(event, lambda_context)
    assert status == 200
    assert set(body["paths"]) == {"/predict", "/predict/batch", "/health"}
    assert body["components"]["schemas"]["PredictRequest"]["required"] == [
        "flight_date",
        "carrier",
        "origin",
        "destination",
    ]


def test_shipped_openapi_file_is_up_to_date() -> None:
    shipped = OPENAPI_FILE.read_text()
    assert json.loads(shipped) == json.loads(api.openapi_document()), (
        "services/predictor/openapi.json is stale: python -m predictor.handlers.api > services/predictor/openapi.json"
    )


def test_health_without_a_model_says_no_model(no_model: None, lambda_context: Any) -> None:
    status, body = _call(load_event("apigw_health"), lambda_context)
    assert (status, body["status"], body["model_version"]) == (200, "no_model", None)


def test_deeply_nested_json_is_400_not_a_server_error(bundle_dir: Path, lambda_context: Any) -> None:
    # Given a 2 KB body nested 1,000 levels deep, and one nested just past the limit inside a field
    deep = "[" * 1000 + "]" * 1000
    past_limit = json.dumps(seed_request()).replace('"depdelay": 25', '"depdelay": ' + "[" * 20 + "]" * 20)
    # When sent, Then both are refused as invalid JSON naming the depth
    for body in (deep, past_limit):
        status, answer = _call(_with_body(body), lambda_context)
        assert (status, answer["error"]) == (400, "invalid_json")
        assert "nests deeper than" in answer["message"]


def test_huge_integer_literal_is_400_not_a_server_error(bundle_dir: Path, lambda_context: Any) -> None:
    # Given an integer literal of 5,000 digits (past Python's 4,300-digit conversion limit)
    body = json.dumps(seed_request()).replace('"depdelay": 25', '"depdelay": ' + "9" * 5000)
    # When sent, Then 400 saying why
    status, answer = _call(_with_body(body), lambda_context)
    assert (status, answer["error"]) == (400, "invalid_json")
    assert "digits" in answer["message"]


def test_nan_and_infinity_are_not_json_numbers(bundle_dir: Path, lambda_context: Any) -> None:
    for literal in ("NaN", "Infinity", "-Infinity"):
        body = json.dumps(seed_request()).replace('"depdelay": 25', f'"depdelay": {literal}')
        assert _call(_with_body(body), lambda_context)[0] == 400


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("depdelay", True),
        ("depdelay", "25"),
        ("turnaroundminutes", "45"),
        ("flight_date", 0),
        ("flight_date", "2025-11-04T10:00:00"),
        ("flight_date", "20251104"),
        ("crs_dep_time", 1799),
        ("crs_dep_time", 2401),
        ("crs_dep_time", 930.0),
        ("crs_dep_time", "0930"),
        ("leg_number", True),
        ("distance", "500"),
    ],
)
def test_lax_coercions_are_422(bundle_dir: Path, lambda_context: Any, field: str, value: Any) -> None:
    # Given a request with a boolean or string for a number, a non-ISO date, or a clock time that is no HHMM
    status, body = _call(_with_body(json.dumps(seed_request(**{field: value}))), lambda_context)
    # Then 422 naming that field
    assert status == 422, body
    assert [d["field"] for d in body["details"]] == [field]


@pytest.mark.parametrize(("field", "value"), [("crs_dep_time", 0), ("crs_dep_time", 2359), ("crs_dep_time", 2400)])
def test_valid_clock_times_are_accepted(bundle_dir: Path, lambda_context: Any, field: str, value: int) -> None:
    assert _call(_with_body(json.dumps(seed_request(**{field: value}))), lambda_context)[0] == 200


def test_integer_minutes_are_still_numbers(bundle_dir: Path, lambda_context: Any) -> None:
    # The seed example sends whole minutes as JSON integers: they stay valid for the float fields
    status, _ = _call(_with_body(json.dumps(seed_request(depdelay=25, routeavgarrdelay=15))), lambda_context)
    assert status == 200


def test_refused_bundle_makes_health_non_200_and_predict_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lambda_context: Any
) -> None:
    # Given a local bundle whose manifest lists `..`
    folder = write_bundle(tmp_path / "bundle", "v1")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][".."] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setenv("MODEL_DIR", str(folder))
    api.install_model_holder(None)
    try:
        # When the API is asked
        health_status, health = _call(load_event("apigw_health"), lambda_context)
        predict_status, answer = _call(load_event("apigw_predict_seed"), lambda_context)
    finally:
        api.install_model_holder(None)
    # Then health reports the refusal with 503, and predictions answer 503 (never 500)
    assert (health_status, health["status"], health["model_version"]) == (503, "refused", None)
    assert "only plain file names" in health["reason"]
    assert (predict_status, answer["error"]) == (503, "no_model")
