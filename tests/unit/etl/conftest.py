"""Fixtures for the feature-engineering tests: hand-made ASA rows, a runner, one Spark session."""

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from etl_job.models import RunSummary
from etl_job.run import run_etl
from etl_job.schema import read_features
from etl_rows import write_asa_csv

RunRows = Callable[..., tuple[pd.DataFrame, RunSummary]]


@pytest.fixture
def run_rows(tmp_path: Path) -> RunRows:
    """Run the DuckDB engine over hand-made rows; returns (features sorted by date/tail/dep, summary)."""
    counter = iter(range(1000))

    def run(rows: list[dict[str, Any]], shuffle_seed: int | None = None) -> tuple[pd.DataFrame, RunSummary]:
        n = next(counter)
        rows = list(rows)
        if shuffle_seed is not None:
            random.Random(shuffle_seed).shuffle(rows)
        csv_path = write_asa_csv(tmp_path / f"in{n}" / "flights.csv", rows)
        out = tmp_path / f"out{n}"
        summary = run_etl([csv_path], out, engine="duckdb")
        frame = read_features(out).to_pandas()
        frame = frame.sort_values(["flight_date", "tail_number", "crs_dep_time", "flight_number"], na_position="last")
        return frame.reset_index(drop=True), summary

    return run


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local[2] Spark session for every Spark test (start-up costs seconds)."""
    from etl_job.spark_engine import create_local_session

    session = create_local_session("airline-etl-tests", shuffle_partitions=2)
    yield session
    session.stop()
