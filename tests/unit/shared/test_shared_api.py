"""Contracts of the predict API: the seed request/response shapes and clear rejections."""

import json
from datetime import date
from typing import Any

import pytest
from airline_shared.api import (
    MAX_BATCH_FLIGHTS,
    BatchPredictRequest,
    BatchPredictResponse,
    ErrorResponse,
    FieldError,
    FlightInfo,
    HealthResponse,
    PredictRequest,
    PredictResponse,
    RiskAssessment,
)
from pydantic import ValidationError

SEED_REQUEST = (
    '{"flight_date": "2025-11-04", "carrier": "DL", "origin": "ATL", "destination": "LAX", "depdelay": 25, '
    '"prevflightarrdelay": 30, "turnaroundminutes": 45, "routeavgarrdelay": 15.5, "carrieravgarrdelay": 12.3}'
)


def _request(**changes: Any) -> dict[str, Any]:
    return json.loads(SEED_REQUEST) | changes


def _response() -> PredictResponse:
    return PredictResponse(
        flight_info=FlightInfo(carrier="DL", route="ATL-LAX"),
        risk_assessment=RiskAssessment(risk_probability=0.72, risk_class=1, risk_tier="High"),
        recommendations=["Protect the connection", "Swap to a spare aircraft"],
        model_version="v20261126-0130",
    )


def test_seed_request_parses_with_every_value_kept() -> None:
    # Given the seed's documented request body
    # When the API model parses it
    request = PredictRequest.model_validate_json(SEED_REQUEST)
    # Then every seed field keeps its name and value
    assert request.flight_date == date(2025, 11, 4)
    assert (request.carrier, request.origin, request.destination) == ("DL", "ATL", "LAX")
    assert (request.depdelay, request.prevflightarrdelay, request.turnaroundminutes) == (25, 30, 45)
    assert (request.routeavgarrdelay, request.carrieravgarrdelay) == (15.5, 12.3)


def test_documented_example_is_the_seed_request() -> None:
    example = PredictRequest.model_json_schema()["examples"][0]
    assert example == json.loads(SEED_REQUEST)
    PredictRequest.model_validate(example)


def test_request_round_trips_through_json() -> None:
    request = PredictRequest.model_validate_json(SEED_REQUEST)
    assert PredictRequest.model_validate_json(request.model_dump_json()) == request


def test_omitted_live_values_stay_missing_not_zero() -> None:
    request = PredictRequest.model_validate(
        {"flight_date": "2025-11-04", "carrier": "DL", "origin": "ATL", "destination": "LAX"}
    )
    assert request.depdelay is None
    assert request.prevflightarrdelay is None
    assert request.routeavgarrdelay is None


def test_optional_extra_request_fields_are_accepted() -> None:
    request = PredictRequest.model_validate(
        _request(crs_dep_time=1830, distance=1946, leg_number=3, next_turnaroundminutes=40)
    )
    assert (request.crs_dep_time, request.leg_number) == (1830, 3)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"carrier": "delta"}, "carrier"),
        ({"carrier": "D"}, "carrier"),
        ({"origin": "atl"}, "origin"),
        ({"destination": "LOS ANGELES"}, "destination"),
        ({"depdelay": 2000}, "depdelay"),
        ({"prevflightarrdelay": -500}, "prevflightarrdelay"),
        ({"turnaroundminutes": -5}, "turnaroundminutes"),
        ({"flight_date": "2025-13-01"}, "flight_date"),
        ({"crs_dep_time": 2500}, "crs_dep_time"),
        ({"leg_number": 0}, "leg_number"),
    ],
)
def test_invalid_values_are_rejected_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        PredictRequest.model_validate(_request(**changes))
    assert [e["loc"] for e in raised.value.errors()] == [(field,)]


def test_depdelay_out_of_range_says_the_limit() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 1440"):
        PredictRequest.model_validate(_request(depdelay=1441))


def test_unknown_request_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        PredictRequest.model_validate(_request(depdelayy=25))


def test_missing_required_field_is_rejected() -> None:
    data = _request()
    del data["carrier"]
    with pytest.raises(ValidationError, match="carrier\n  Field required"):
        PredictRequest.model_validate(data)


def test_response_has_the_seed_shape_plus_extras() -> None:
    dumped = json.loads(_response().model_dump_json())
    assert set(dumped) >= {"flight_info", "risk_assessment", "recommendations"}
    assert dumped["flight_info"] == {"carrier": "DL", "route": "ATL-LAX"}
    assert set(dumped["risk_assessment"]) == {"risk_probability", "risk_class", "risk_tier"}
    assert dumped["model_version"] == "v20261126-0130"


def test_response_round_trips_through_json() -> None:
    response = _response()
    assert PredictResponse.model_validate_json(response.model_dump_json()) == response


@pytest.mark.parametrize(
    "changes",
    [{"risk_probability": 1.2}, {"risk_class": 2}, {"risk_tier": "Severe"}],
)
def test_invalid_risk_assessment_is_rejected(changes: dict[str, Any]) -> None:
    data = {"risk_probability": 0.5, "risk_class": 1, "risk_tier": "Medium"} | changes
    with pytest.raises(ValidationError):
        RiskAssessment.model_validate(data)


def test_batch_request_round_trips_and_bounds_its_size() -> None:
    one = _request()
    batch = BatchPredictRequest.model_validate({"flights": [one, one]})
    assert BatchPredictRequest.model_validate_json(batch.model_dump_json()) == batch
    with pytest.raises(ValidationError, match="at least 1 item"):
        BatchPredictRequest.model_validate({"flights": []})
    with pytest.raises(ValidationError, match=f"at most {MAX_BATCH_FLIGHTS} items"):
        BatchPredictRequest.model_validate({"flights": [one] * (MAX_BATCH_FLIGHTS + 1)})


def test_batch_response_health_and_error_round_trip() -> None:
    batch = BatchPredictResponse(predictions=[_response()], model_version="v1")
    health = HealthResponse(status="no_model", model_version=None, loaded_at=None)
    error = ErrorResponse(
        error="validation_error", message="bad input", details=[FieldError(field="carrier", message="bad")]
    )
    for model in (batch, health, error):
        assert type(model).model_validate_json(model.model_dump_json()) == model


def test_error_kind_must_be_known() -> None:
    with pytest.raises(ValidationError, match="error"):
        ErrorResponse.model_validate({"error": "oops", "message": "x"})
