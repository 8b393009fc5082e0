"""Fixtures for the feature-engineering tests: hand-made ASA rows, runners on either engine, one Spark session."""

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from etl_job.models import Engine, RunSummary
from etl_job.run import run_etl
from etl_job.schema import read_features
from etl_rows import write_asa_csv

RunRows = Callable[..., tuple[pd.DataFrame, RunSummary]]
RunFiles = Callable[..., tuple[pd.DataFrame, RunSummary]]


def _features(out: Path) -> pd.DataFrame:
    """The features under out, sorted by date / tail / scheduled departure / flight number."""
    frame = read_features(out).to_pandas()
    frame = frame.sort_values(["flight_date", "tail_number", "crs_dep_time", "flight_number"], na_position="last")
    return frame.reset_index(drop=True)


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
        return _features(out), summary

    return run


def _file_runner(tmp_path: Path, engine: Engine, spark: Any = None) -> RunFiles:
    counter = iter(range(1000))

    def run(*files: list[dict[str, Any]] | Path) -> tuple[pd.DataFrame, RunSummary]:
        n = next(counter)
        paths = [
            f if isinstance(f, Path) else write_asa_csv(tmp_path / f"in{n}" / f"flights-{i}.csv", f)
            for i, f in enumerate(files)
        ]
        out = tmp_path / f"out{n}"
        summary = run_etl(paths, out, engine=engine, spark=spark)
        return _features(out), summary

    return run


@pytest.fixture
def run_files(tmp_path: Path) -> RunFiles:
    """Run the DuckDB engine over hand-made files: lists of ASA rows (one file each) or paths.

    Returns (features sorted by date/tail/dep, summary).
    """
    return _file_runner(tmp_path, "duckdb")


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def run_each_engine(request: pytest.FixtureRequest, tmp_path: Path) -> RunFiles:
    """`run_files` on each engine in turn (one test per engine; Spark runs cost seconds each)."""
    engine: Engine = request.param
    return _file_runner(tmp_path, engine, request.getfixturevalue("spark_session") if engine == "spark" else None)


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local[2] Spark session for every Spark test (start-up costs seconds)."""
    from etl_job.spark_engine import create_local_session

    session = create_local_session("airline-etl-tests", shuffle_partitions=2)
    yield session
    session.stop()
