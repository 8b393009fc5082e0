"""Hand-made features tables for the analysis tests, written like the ETL writes them.

Files go to `year=YYYY/month=MM/part-0.parquet` (zero-padded month, partition columns only in
the directory names), with the shared schema `airline_shared.features.FEATURE_COLUMNS`.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from airline_shared.features import FEATURE_COLUMNS, PARTITION_COLUMNS

_ARROW_TYPES = {
    "date32": pa.date32(),
    "int32": pa.int32(),
    "float64": pa.float64(),
    "string": pa.string(),
    "bool": pa.bool_(),
}
FEATURES_SCHEMA = pa.schema(
    [pa.field(c.name, _ARROW_TYPES[c.arrow_type.value], nullable=c.nullable) for c in FEATURE_COLUMNS]
)

Flight = dict[str, Any]


def make_flight(**overrides: Any) -> Flight:
    """One features row with plain defaults (AA ORD->LGA on 2024-01-15, on time, no rotation)."""
    flight_date = overrides.pop("flight_date", dt.date(2024, 1, 15))
    row: Flight = {
        "flight_date": flight_date,
        "year": flight_date.year,
        "month": flight_date.month,
        "day_of_week": flight_date.isoweekday(),
        "carrier": "AA",
        "flight_number": 100,
        "tail_number": "N100AA",
        "origin": "ORD",
        "dest": "LGA",
        "crs_dep_time": 800,
        "crs_arr_time": 1100,
        "dep_hour": 8,
        "distance": 733.0,
        "depdelay": 0.0,
        "arrdelay": 0.0,
        "late_aircraft_delay": None,
        "prevflightarrdelay": None,
        "turnaroundminutes": None,
        "routeavgarrdelay": None,
        "carrieravgarrdelay": None,
        "leg_number": 1,
        "next_turnaroundminutes": None,
        "cascade": False,
    }
    unknown = set(overrides) - set(row)
    assert not unknown, f"not feature columns: {unknown}"
    row.update(overrides)
    return row


def write_features_table(rows: list[Flight], root: Path) -> Path:
    """Write rows as hive-partitioned Parquet under root (partition columns only in the paths)."""
    table = pa.Table.from_pylist(rows, schema=FEATURES_SCHEMA)
    for year, month in sorted({(r["year"], r["month"]) for r in rows}):
        mask = pc.and_(pc.equal(table["year"], year), pc.equal(table["month"], month))
        part_dir = root / f"year={year:04d}" / f"month={month:02d}"
        part_dir.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.filter(mask).drop_columns(list(PARTITION_COLUMNS)), part_dir / "part-0.parquet")
    return root


def generate_flights(count: int, seed: int = 7) -> list[Flight]:
    """A varied, deterministic features table: 4 carriers, 12 airports, 3 months, all turnaround bands."""
    rng = np.random.default_rng(seed)
    carriers = ["AA", "DL", "UA", "WN"]
    airports = ["ATL", "BOS", "DEN", "DFW", "JFK", "LAX", "LGA", "MIA", "ORD", "SEA", "SFO", "PHX"]
    dates = [dt.date(2024, m, d) for m in (1, 2, 3) for d in range(1, 29)]
    rows = []
    for i in range(count):
        origin, dest = rng.choice(airports[:6], 2, replace=False) if i % 3 else rng.choice(airports, 2, replace=False)
        depdelay = float(np.round(rng.exponential(12.0) - 5.0))
        arrdelay = None if i % 97 == 0 else float(np.round(depdelay + rng.normal(0, 8)))
        has_prev = i % 4 != 0
        has_next = i % 5 != 0
        cascade = bool(has_next and arrdelay is not None and arrdelay >= 15 and rng.random() < 0.6)
        rows.append(
            make_flight(
                flight_date=dates[i % len(dates)],
                carrier=carriers[(i // 2) % len(carriers)],
                flight_number=1000 + i % 500,
                tail_number=f"N{i % 300:03d}",
                origin=str(origin),
                dest=str(dest),
                depdelay=depdelay,
                arrdelay=arrdelay,
                late_aircraft_delay=float(rng.integers(0, 30)) if arrdelay is not None and arrdelay >= 15 else None,
                prevflightarrdelay=float(np.round(rng.exponential(10.0) - 6.0)) if has_prev else None,
                turnaroundminutes=float(rng.integers(20, 200)) if has_prev else None,
                leg_number=1 + i % 5,
                next_turnaroundminutes=float(rng.integers(20, 200)) if has_next else None,
                cascade=cascade,
            )
        )
    return rows


@pytest.fixture
def features_dir_from(tmp_path: Path) -> Callable[[list[Flight]], Path]:
    """Factory: write hand-made rows as a features snapshot and return its directory."""

    def write(rows: list[Flight]) -> Path:
        return write_features_table(rows, tmp_path / "features")

    return write


@pytest.fixture
def flight() -> Callable[..., Flight]:
    """Factory for one features row; keyword arguments override the defaults."""
    return make_flight


@pytest.fixture(scope="session")
def generated_features_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000-flight generated snapshot shared by the parity and report tests (read-only)."""
    return write_features_table(generate_flights(3000), tmp_path_factory.mktemp("generated") / "features")
