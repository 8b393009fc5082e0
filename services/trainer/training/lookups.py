"""Latest 90-day route and carrier mean arrival delays, so the predictor can fill omitted inputs."""

from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from airline_shared.bundle import DelayLookups
from airline_shared.features import HISTORY_DAYS

from training.data import monthly_files, open_features

_KEYS = ("origin", "dest", "carrier", "arrdelay")


def _means(table: pa.Table, keys: list[str]) -> dict[str, float]:
    grouped = table.group_by(keys).aggregate([("arrdelay", "sum"), ("arrdelay", "count")]).to_pydict()
    names = ["-".join(parts) for parts in zip(*(grouped[k] for k in keys), strict=True)]
    means = {n: s / c for n, s, c in zip(names, grouped["arrdelay_sum"], grouped["arrdelay_count"], strict=True) if c}
    return dict(sorted(means.items()))


def build_lookups(features_dir: Path) -> DelayLookups:
    """Means over the 90 days before as_of + 1 (as_of = the last flight date), as the features define them.

    Grouped aggregation over the last months' files only. Flights without an arrival delay are ignored;
    the global fallbacks are the plain mean over the same window (or over all rows when the window has
    none, else 0). Raises TrainingDataError / MissingColumnsError for an unusable table.
    """
    by_month = monthly_files(open_features(features_dir))
    as_of: date = pc.max(by_month[max(by_month)].to_table(columns=["flight_date"]).column("flight_date")).as_py()
    start = as_of - timedelta(days=HISTORY_DAYS - 1)
    first_month = (start.year - 1970) * 12 + start.month - 1  # `month_key` of start
    in_window = (pc.field("flight_date") >= pa.scalar(start)) & pc.field("arrdelay").is_valid()
    window = pa.concat_tables(
        by_month[m].to_table(columns=list(_KEYS), filter=in_window) for m in sorted(by_month) if m >= first_month
    )
    fallback = float(pc.mean(window.column("arrdelay")).as_py()) if window.num_rows else _mean_of_all(by_month)
    return DelayLookups(
        as_of=as_of,
        route_avg_arr_delay=_means(window, ["origin", "dest"]),
        carrier_avg_arr_delay=_means(window, ["carrier"]),
        global_route_avg_arr_delay=fallback,
        global_carrier_avg_arr_delay=fallback,
    )


def _mean_of_all(by_month: dict[int, ds.Dataset]) -> float:
    total, count = 0.0, 0
    for month in by_month.values():
        column = month.to_table(columns=["arrdelay"]).column("arrdelay")
        total += float(pc.sum(column).as_py() or 0.0)
        count += len(column) - column.null_count
    return total / count if count else 0.0
