"""Turn a predict request into the model's feature row, in the bundle's feature order."""

import math

import numpy as np
from airline_shared.api import PredictRequest
from airline_shared.bundle import DelayLookups


def fill_from_lookups(request: PredictRequest, lookups: DelayLookups) -> dict[str, float]:
    """The historical averages the caller omitted, from the bundle (global mean for unseen keys)."""
    filled: dict[str, float] = {}
    if request.routeavgarrdelay is None:
        route = f"{request.origin}-{request.destination}"
        filled["routeavgarrdelay"] = lookups.route_avg_arr_delay.get(route, lookups.global_route_avg_arr_delay)
    if request.carrieravgarrdelay is None:
        filled["carrieravgarrdelay"] = lookups.carrier_avg_arr_delay.get(
            request.carrier, lookups.global_carrier_avg_arr_delay
        )
    return filled


def derive_inputs(request: PredictRequest, filled: dict[str, float]) -> dict[str, float | None]:
    """Every model input by feature name; None where the live value is unknown."""
    dep_hour = None if request.crs_dep_time is None else float(request.crs_dep_time // 100)
    return {
        "depdelay": request.depdelay,
        "prevflightarrdelay": request.prevflightarrdelay,
        "turnaroundminutes": request.turnaroundminutes,
        "routeavgarrdelay": filled.get("routeavgarrdelay", request.routeavgarrdelay),
        "carrieravgarrdelay": filled.get("carrieravgarrdelay", request.carrieravgarrdelay),
        "dep_hour": dep_hour,
        "day_of_week": float(request.flight_date.isoweekday()),
        "month": float(request.flight_date.month),
        "distance": request.distance,
        "leg_number": None if request.leg_number is None else float(request.leg_number),
        "next_turnaroundminutes": request.next_turnaroundminutes,
    }


def build_feature_row(inputs: dict[str, float | None], feature_names: tuple[str, ...] | list[str]) -> np.ndarray:
    """A float64 row in `feature_names` order; missing values are NaN, never 0.

    Raises KeyError when the bundle asks for a feature the request cannot provide.
    """
    return np.array([[math.nan if (v := inputs[name]) is None else v for name in feature_names]], dtype=np.float64)
