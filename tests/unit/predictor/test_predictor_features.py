"""Feature row building: order, derived fields, NaN for missing, lookup filling."""

import math

import pytest
from airline_shared.api import PredictRequest
from airline_shared.features import MODEL_FEATURES, SEED_MODEL_FEATURES
from predictor.logic.features import build_feature_row, derive_inputs, fill_from_lookups
from predictor_testkit import LOOKUPS, seed_request


def _row(request: PredictRequest, names: tuple[str, ...] = MODEL_FEATURES) -> dict[str, float]:
    values = build_feature_row(derive_inputs(request, fill_from_lookups(request, LOOKUPS)), names)[0]
    return dict(zip(names, values.tolist(), strict=True))


def test_row_follows_the_bundle_feature_order() -> None:
    # Given the seed request and the seed model's five features in a shuffled order
    request = PredictRequest.model_validate(seed_request())
    names = ("carrieravgarrdelay", "depdelay", "turnaroundminutes", "prevflightarrdelay", "routeavgarrdelay")
    # When the row is built
    row = build_feature_row(derive_inputs(request, {}), names)
    # Then the values come in exactly that order
    assert row.shape == (1, 5)
    assert row[0].tolist() == [12.3, 25.0, 45.0, 30.0, 15.5]


def test_day_of_week_and_month_come_from_flight_date() -> None:
    # Given a flight on Tuesday 2025-11-04
    request = PredictRequest.model_validate(seed_request())
    # When / Then ISO day of week 2 (Monday = 1) and month 11
    row = _row(request)
    assert row["day_of_week"] == 2.0
    assert row["month"] == 11.0


def test_dep_hour_comes_from_scheduled_departure_hhmm() -> None:
    request = PredictRequest.model_validate(seed_request(crs_dep_time=1745))
    assert _row(request)["dep_hour"] == 17.0


@pytest.mark.parametrize(
    "feature",
    [
        "depdelay",
        "prevflightarrdelay",
        "turnaroundminutes",
        "dep_hour",
        "distance",
        "leg_number",
        "next_turnaroundminutes",
    ],
)
def test_missing_live_values_are_nan_never_zero(feature: str) -> None:
    # Given a request that omits the live value (the seed request has no schedule extras)
    request = PredictRequest.model_validate(seed_request(depdelay=..., prevflightarrdelay=..., turnaroundminutes=...))
    # When the row is built
    value = _row(request)[feature]
    # Then it is missing for the model
    assert math.isnan(value)


def test_seed_model_features_are_all_provided_by_the_seed_request() -> None:
    request = PredictRequest.model_validate(seed_request())
    row = _row(request, SEED_MODEL_FEATURES)
    assert not any(math.isnan(v) for v in row.values())


def test_omitted_averages_are_filled_from_the_route_and_carrier_lookups() -> None:
    # Given the seed request without its historical averages, for a route and carrier the bundle knows
    request = PredictRequest.model_validate(seed_request(routeavgarrdelay=..., carrieravgarrdelay=...))
    # When filled
    filled = fill_from_lookups(request, LOOKUPS)
    # Then the bundle's ATL-LAX and DL values are used and reported
    assert filled == {"routeavgarrdelay": 11.0, "carrieravgarrdelay": 6.5}
    assert _row(request)["routeavgarrdelay"] == 11.0


def test_unseen_route_and_carrier_fall_back_to_global_means() -> None:
    request = PredictRequest.model_validate(
        seed_request(carrier="ZZ", origin="BOS", routeavgarrdelay=..., carrieravgarrdelay=...)
    )
    assert fill_from_lookups(request, LOOKUPS) == {"routeavgarrdelay": 7.25, "carrieravgarrdelay": 8.5}


def test_given_averages_are_kept_and_not_reported_as_filled() -> None:
    request = PredictRequest.model_validate(seed_request())
    assert fill_from_lookups(request, LOOKUPS) == {}
    assert _row(request)["carrieravgarrdelay"] == 12.3


def test_unknown_feature_name_raises_key_error() -> None:
    request = PredictRequest.model_validate(seed_request())
    with pytest.raises(KeyError):
        build_feature_row(derive_inputs(request, {}), ("depdelay", "weather_index"))
