"""The ETL benchmark's pandas baseline computes the engine's features, so the speed comparison is fair."""

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from airline_shared.features import FEATURE_COLUMNS, ArrowType
from airline_shared.raw_formats import ASA_COLUMNS
from etl_job.models import RunSummary
from etl_job.run import run_etl
from etl_job.schema import read_features

from airline.bench.etl_pandas import pandas_features
from airline.sample_data import generate_sample_data

SORT_KEYS = ["flight_date", "carrier", "flight_number", "origin", "dest", "crs_dep_time", "tail_number"]


def _sorted_features(root: Path) -> pd.DataFrame:
    frame = read_features(root).to_pandas()
    return frame.sort_values(SORT_KEYS, na_position="last").reset_index(drop=True)


def _run_both(csv_path: Path, work: Path) -> tuple[RunSummary, dict[str, int], pd.DataFrame, pd.DataFrame]:
    """The engine's summary, pandas' counts, and both feature tables sorted alike."""
    engine = run_etl([csv_path], work / "duckdb", engine="duckdb")
    (work / "pandas").mkdir()
    counts = pandas_features(csv_path, work / "pandas")
    return engine, counts, _sorted_features(work / "duckdb"), _sorted_features(work / "pandas")


def _assert_same_features(duck: pd.DataFrame, pand: pd.DataFrame) -> None:
    """Every column of every row agrees (floats to 1e-9, nulls in the same places)."""
    assert len(duck) == len(pand)
    for column in FEATURE_COLUMNS:
        a, b = duck[column.name], pand[column.name]
        assert (a.isna() == b.isna()).all(), column.name
        if column.arrow_type is ArrowType.FLOAT64:
            np.testing.assert_allclose(a.dropna().to_numpy(float), b.dropna().to_numpy(float), rtol=0, atol=1e-9)
        else:
            assert (a.dropna() == b.dropna()).all(), column.name


def test_pandas_and_duckdb_give_the_same_features_on_generated_flights(tmp_path: Path) -> None:
    # Given three months of generated flights (with duplicate rows and cancelled legs)
    sample = generate_sample_data(tmp_path / "data", 5000, "asa", seed=7, start_date=date(2007, 1, 1), months=3)
    (csv_path,) = sample.data_files
    assert sample.duplicate_rows > 0 and sample.cancelled > 0

    # When the DuckDB engine and the pandas baseline run it
    engine, counts, duck, pand = _run_both(csv_path, tmp_path)

    # Then they count the same rows per reason, and write the same features
    assert sum(counts.values()) == engine.rows_read == sample.rows + sample.duplicate_rows
    assert counts["kept"] == engine.rows_written == len(duck)
    assert {k: v for k, v in counts.items() if k != "kept" and v} == {k: v for k, v in engine.dropped.items() if v}
    assert duck["cascade"].sum() > 100 and duck["turnaroundminutes"].notna().sum() > 1000
    _assert_same_features(duck, pand)


def _leg(tail: str, day: int, dep: int, arr: int, origin: str, dest: str, **extra: Any) -> dict[str, Any]:
    """A January 2008 leg of carrier QX, tail V<n> (or a placeholder): flight n * 10,000 + departure unless told."""
    row: dict[str, Any] = dict.fromkeys(ASA_COLUMNS)
    row.update(Year=2008, Month=1, DayofMonth=day, CRSDepTime=dep, CRSArrTime=arr, CRSElapsedTime=60)
    row.update(UniqueCarrier="QX", FlightNum=int(tail[1:]) * 10_000 + dep, TailNum=tail, Origin=origin, Dest=dest)
    row.update(ArrDelay=0, DepDelay=0, Distance=300, Cancelled=0, Diverted=0)
    row.update(extra)
    return row


_NOT_FLOWN: dict[str, Any] = {"Cancelled": 1, "DepDelay": None, "ArrDelay": None}

#: The rules of contract version 2 the generator rarely or never exercises.
EDGE_LEGS = [
    _leg("V1", 12, 800, 755, "QAT", "QBH", CRSElapsedTime=55, ArrDelay=20),  # westbound hop, same day
    _leg("V1", 12, 840, 1035, "QBH", "QAT", DepDelay=30),
    _leg("V2", 12, 10, 2340, "QAT", "QBH", CRSElapsedTime=30, ArrDelay=20),  # arrives the day before (k = -1)
    _leg("V2", 12, 30, 230, "QBH", "QAT", DepDelay=20),
    _leg("V3", 30, 2359, 0, "QAA", "QBB", CRSElapsedTime=1440, ArrDelay=30),  # k = 2
    _leg("V3", 1, 100, 300, "QBB", "QCC", Month=2, DepDelay=30),
    _leg("V3", 1, 2400, 200, "QCC", "QAA", Month=2),  # 24:00 on Feb 1 precedes 00:00 on Feb 2
    _leg("V3", 2, 0, 200, "QCC", "QDD", Month=2, FlightNum=7),
    _leg("V5", 13, 800, 1000, "QAA", "QBB", ArrDelay=20),  # cancelled next leg: cascade; leg_number counts it
    _leg("V5", 13, 1030, 1130, "QBB", "QCC", **_NOT_FLOWN),
    _leg("V5", 13, 1200, 1300, "QCC", "QDD"),
    _leg("V6", 13, 800, 1000, "QAA", "QBB", ArrDelay=60),  # a cancelled leg without valid times stays out
    _leg("V6", 13, 2500, 1130, "QBB", "QCC", FlightNum=1100, **_NOT_FLOWN),
    _leg("V6", 13, 1200, 1400, "QBB", "QCC", DepDelay=60),
    _leg("V8", 14, 800, 1000, "QAA", "QBB", ArrDelay=30),  # a diverted leg stays out
    _leg("V8", 14, 1100, 1300, "QBB", "QCC", Diverted=1),
    _leg("000000", 14, 1400, 1500, "QCC", "QDD", ArrDelay=25),  # placeholder tail
    _leg("V7", 15, 700, 800, "QZZ", "QAA", ArrDelay=20),  # the next leg has a flown copy, which wins
    _leg("V7", 15, 900, 1000, "QAA", "QBB", **_NOT_FLOWN),
]

#: Copies: exact, a delay missing (the copy with it wins), another tail, and flown (wins) vs cancelled.
EDGE_COPIES = [
    EDGE_LEGS[8],
    _leg("V5", 13, 1200, 1300, "QCC", "QDD", ArrDelay=None),
    {**EDGE_LEGS[0], "TailNum": "V9"},
    {**EDGE_LEGS[18], "Cancelled": 0, "DepDelay": 5, "ArrDelay": 5, "CRSArrTime": 1005},
    {**EDGE_LEGS[14], "Cancelled": 1},
]


def test_pandas_and_duckdb_agree_on_the_version_2_edge_cases(tmp_path: Path) -> None:
    # Given hand-made legs for arrival days, cancelled legs in rotations, 24:00 departures, placeholder
    # tails and duplicate rows, shuffled
    rows = pd.DataFrame(EDGE_LEGS + EDGE_COPIES).sample(frac=1, random_state=3)
    csv_path = tmp_path / "edges.csv"
    rows.to_csv(csv_path, index=False, na_rep="NA")

    # When the DuckDB engine and the pandas baseline run them
    engine, counts, duck, pand = _run_both(csv_path, tmp_path)

    # Then they count the same rows per reason, and write the same features
    assert engine.dropped["duplicate"] == counts["duplicate"] == 3
    assert counts["kept"] == engine.rows_written == len(duck)
    assert {k: v for k, v in counts.items() if k != "kept" and v} == {k: v for k, v in engine.dropped.items() if v}
    _assert_same_features(duck, pand)
