"""Small synthetic features tables (hive-partitioned Parquet, full contract schema) with a learnable label."""

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from airline_shared.features import FEATURE_COLUMNS, PARTITION_COLUMNS, ArrowType

_ARROW = {
    ArrowType.DATE32: pa.date32(),
    ArrowType.INT32: pa.int32(),
    ArrowType.FLOAT64: pa.float64(),
    ArrowType.STRING: pa.string(),
    ArrowType.BOOL: pa.bool_(),
}


def synthetic_columns(rows: int, start: date, days: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Columns of the features contract; cascade depends on depdelay, prevflightarrdelay and turnaround."""
    rng = np.random.default_rng(seed)
    offsets = np.sort(rng.integers(0, days, size=rows))
    flight_date = np.array([start + timedelta(days=int(d)) for d in offsets])
    origin = rng.choice(np.array(["ATL", "ORD", "DFW", "DEN"]), size=rows)
    dest = rng.choice(np.array(["LAX", "SFO", "SEA"]), size=rows)
    carrier = rng.choice(np.array(["AA", "DL", "UA"]), size=rows)
    depdelay = np.round(rng.exponential(15, rows) - 5)
    prev = np.round(rng.exponential(12, rows) - 5)
    turn = np.round(rng.uniform(25, 180, rows))
    route_avg = rng.normal(5, 3, rows)
    carrier_avg = rng.normal(4, 2, rows)
    score = -3.2 + 0.06 * depdelay + 0.02 * np.nan_to_num(prev) - 0.015 * (turn - 60)
    cascade = rng.random(rows) < 1 / (1 + np.exp(-score))
    for values, share in ((prev, 0.15), (turn, 0.15), (route_avg, 0.05), (carrier_avg, 0.02)):
        values[rng.random(rows) < share] = np.nan
    dep_hour = rng.integers(5, 23, rows)
    return {
        "flight_date": flight_date,
        "year": np.array([d.year for d in flight_date]),
        "month": np.array([d.month for d in flight_date]),
        "day_of_week": np.array([d.isoweekday() for d in flight_date]),
        "carrier": carrier,
        "flight_number": rng.integers(1, 3000, rows),
        "tail_number": np.array([f"N{i:05d}" for i in rng.integers(0, 500, rows)]),
        "origin": origin,
        "dest": dest,
        "crs_dep_time": dep_hour * 100,
        "crs_arr_time": ((dep_hour + 2) % 24) * 100,
        "dep_hour": dep_hour,
        "distance": rng.uniform(200, 2500, rows),
        "depdelay": depdelay,
        "arrdelay": depdelay + rng.normal(0, 5, rows),
        "late_aircraft_delay": np.zeros(rows),
        "prevflightarrdelay": prev,
        "turnaroundminutes": turn,
        "routeavgarrdelay": route_avg,
        "carrieravgarrdelay": carrier_avg,
        "leg_number": rng.integers(1, 6, rows),
        "next_turnaroundminutes": rng.uniform(25, 180, rows),
        "cascade": cascade,
    }


def write_features(root: Path, columns: dict[str, np.ndarray], drop: tuple[str, ...] = ()) -> Path:
    """Write columns as `root/year=YYYY/month=MM/part-0.parquet` (partition keys only in the path)."""
    schema = pa.schema([pa.field(c.name, _ARROW[c.arrow_type]) for c in FEATURE_COLUMNS if c.name not in drop])
    table = pa.table(
        {f.name: pa.array(_nullable(columns[f.name]), type=f.type) for f in schema},
        schema=schema,
    )
    years, months = np.asarray(columns["year"]), np.asarray(columns["month"])
    for y, m in sorted(set(zip(years.tolist(), months.tolist(), strict=True))):
        mask = pa.array((years == y) & (months == m))
        part = table.filter(mask).drop_columns([c for c in PARTITION_COLUMNS if c in table.column_names])
        folder = root / f"year={y:04d}" / f"month={m:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(part, folder / "part-0.parquet")
    return root


def _nullable(values: np.ndarray) -> list[object]:
    if values.dtype.kind == "f":
        return [None if np.isnan(v) else float(v) for v in values]
    return values.tolist()


def synthetic_features(
    root: Path, rows: int = 5000, months: int = 6, seed: int = 0, drop: tuple[str, ...] = ()
) -> Path:
    """A learnable features table over `months` months starting 2024-01-01."""
    days = (date(2024 + (months // 12), months % 12 + 1, 1) - date(2024, 1, 1)).days
    return write_features(root, synthetic_columns(rows, date(2024, 1, 1), days, seed), drop)
