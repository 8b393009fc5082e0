"""Latest 90-day route and carrier mean arrival delays, so the predictor can fill omitted inputs."""

from datetime import date

import numpy as np
from airline_shared.bundle import DelayLookups
from airline_shared.features import HISTORY_DAYS

from training.data import FeaturesFrame


def _group_means(keys: np.ndarray, values: np.ndarray) -> dict[str, float]:
    uniq, inverse = np.unique(keys.astype(str), return_inverse=True)
    sums = np.bincount(inverse, weights=values, minlength=uniq.size)
    counts = np.bincount(inverse, minlength=uniq.size)
    return {str(k): float(s / c) for k, s, c in zip(uniq, sums, counts, strict=True) if c}


def build_lookups(frame: FeaturesFrame) -> DelayLookups:
    """Means over the 90 days before as_of + 1 (as_of = the last flight date), as the features define them.

    Flights without an arrival delay are ignored; the global fallbacks are the plain mean over
    the same window (or over all rows when the window has none, else 0).
    """
    as_of = frame.flight_date.max()
    start = as_of + np.timedelta64(1 - HISTORY_DAYS, "D")
    delay = frame.numeric["arrdelay"]
    window = (frame.flight_date >= start) & (frame.flight_date <= as_of) & ~np.isnan(delay)
    values = delay[window]
    routes = np.char.add(np.char.add(frame.origin[window].astype(str), "-"), frame.dest[window].astype(str))
    known = delay[~np.isnan(delay)]
    fallback = float(values.mean()) if values.size else (float(known.mean()) if known.size else 0.0)
    return DelayLookups(
        as_of=as_of.astype(date),
        route_avg_arr_delay=_group_means(routes, values),
        carrier_avg_arr_delay=_group_means(frame.carrier[window], values),
        global_route_avg_arr_delay=fallback,
        global_carrier_avg_arr_delay=fallback,
    )
