"""Parity: the same input through DuckDB and local PySpark gives identical features and counts."""

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from airline_shared.features import FEATURE_COLUMNS, ArrowType
from etl_job.run import run_etl
from etl_job.schema import read_features
from etl_rows import asa_row, write_asa_csv

from airline.sample_data import generate_sample_data

pytestmark = pytest.mark.spark

SORT_KEYS = ["flight_date", "carrier", "flight_number", "origin", "dest", "crs_dep_time", "tail_number",
             "crs_arr_time", "depdelay", "arrdelay"]  # fmt: skip

EDGE_ROWS = [
    asa_row(DayofMonth=3, CRSDepTime=2300, CRSArrTime=100, ArrDelay=30, Origin="XAA", Dest="XBB", TailNum="E1"),
    asa_row(DayofMonth=4, CRSDepTime=200, CRSArrTime=400, DepDelay=20, Origin="XBB", Dest="XCC", TailNum="E1"),
    asa_row(DayofMonth=4, CRSDepTime=2200, CRSArrTime=2400, Origin="XCC", Dest="XAA", TailNum="E1", FlightNum=8),
    asa_row(DayofMonth=4, CRSDepTime=2200, CRSArrTime=2400, Origin="XCC", Dest="XAA", TailNum="E1", FlightNum=3),
    asa_row(DayofMonth=5, CRSDepTime=30, CRSArrTime=200, Origin="XAA", Dest="XDD", TailNum="E1", DepDelay=None),
    asa_row(DayofMonth=5, CRSDepTime=800, CRSArrTime=900, TailNum="000000", ArrDelay=None),
    asa_row(DayofMonth=5, CRSDepTime=800, CRSArrTime=900, TailNum="UNKNOW", Cancelled=1),
    asa_row(DayofMonth=5, CRSDepTime=2401, CRSArrTime=900),
    asa_row(DayofMonth=5, Distance=0),
    asa_row(DayofMonth=5, ArrDelay=-121),
    asa_row(DayofMonth=32),
    asa_row(DayofMonth=123),
    asa_row(DayofMonth=6, DepDelay=" 12 ", ArrDelay=" 3", Distance="250 "),
    asa_row(Origin=None),
    asa_row(Diverted=1),
    asa_row(Month=" "),
    asa_row(Month="ab"),
    asa_row(Month="7.5"),
    asa_row(Month=" 07 ", DayofMonth=" 7", FlightNum=41),
    asa_row(Year=2008, Month=2, DayofMonth=29, FlightNum=42),
    asa_row(Year=1900, Month=2, DayofMonth=29),
    asa_row(Month=4, DayofMonth=31),
]


def v2(tail: str, day: int, dep: int, arr: int, origin: str, dest: str, **extra: Any) -> dict[str, Any]:
    """A leg of the contract-version-2 cases: tail V<n>, flight n * 10,000 + departure, January 2008 unless told."""
    return asa_row(TailNum=tail, DayofMonth=day, CRSDepTime=dep, CRSArrTime=arr, Origin=origin, Dest=dest,
                   FlightNum=int(tail[1:]) * 10_000 + extra.pop("FlightNum", dep), UniqueCarrier="QX", **extra)  # fmt: skip


_NOT_FLOWN: dict[str, Any] = {"Cancelled": 1, "DepDelay": None, "ArrDelay": None}

#: Contract version 2: arrival day from CRSElapsedTime, cancelled legs in the chain, duplicates (with V2_COPIES).
V2_ROWS = [
    # ATL-BHM-like westbound hop arriving "before" it departs, and back
    v2("V1", 12, 800, 755, "QAT", "QBH", CRSElapsedTime=55, ArrDelay=20),
    v2("V1", 12, 840, 1035, "QBH", "QAT", CRSElapsedTime=55, DepDelay=30),
    # after midnight, arriving the previous day on the clock (k = -1)
    v2("V2", 12, 10, 2340, "QAT", "QBH", CRSElapsedTime=30, ArrDelay=20),
    v2("V2", 12, 30, 230, "QBH", "QAT", CRSElapsedTime=60, DepDelay=20),
    # elapsed time outside 1..1440: the clock rule
    v2("V3", 12, 800, 755, "QAT", "QBH", CRSElapsedTime=1441, ArrDelay=20),
    v2("V3", 12, 840, 1035, "QBH", "QAT", CRSElapsedTime=0, DepDelay=30),
    # k = 2 across the month boundary: arrives Feb 1 00:00, next leg Feb 1 01:00
    v2("V4", 30, 2359, 0, "QAA", "QBB", CRSElapsedTime=1440, ArrDelay=30),
    v2("V4", 1, 100, 300, "QBB", "QCC", Month=2, DepDelay=30),
    # late arrival, cancelled next leg (cascade), cancelled previous leg, leg_number counting it
    v2("V5", 13, 800, 1000, "QAA", "QBB", ArrDelay=20),
    v2("V5", 13, 1030, 1130, "QBB", "QCC", **_NOT_FLOWN),
    v2("V5", 13, 1200, 1300, "QCC", "QDD"),
    # cancelled leg from another airport, and one without valid times
    v2("V6", 13, 800, 1000, "QAA", "QBB", ArrDelay=60),
    v2("V6", 13, 1030, 1130, "QXX", "QYY", **_NOT_FLOWN),
    v2("V6", 13, 2500, 1130, "QBB", "QCC", FlightNum=1100, **_NOT_FLOWN),
    v2("V6", 13, 1200, 1400, "QBB", "QCC", DepDelay=60),
    # a late arrival on Jan 31 whose next leg, on Feb 1, is cancelled
    v2("V7", 31, 2200, 2330, "QAA", "QBB", ArrDelay=30),
    v2("V7", 1, 30, 130, "QBB", "QCC", Month=2, **_NOT_FLOWN),
    # a diverted leg in a rotation
    v2("V8", 14, 800, 1000, "QAA", "QBB", ArrDelay=30),
    v2("V8", 14, 1100, 1300, "QBB", "QCC", Diverted=1),
    v2("V8", 14, 1400, 1500, "QCC", "QDD"),
]

#: Copies of V2 flights in a second file: exact, with a delay missing, another tail, and flown-vs-cancelled.
V2_COPIES = [
    *V2_ROWS[8:11],
    v2("V7", 31, 2200, 2330, "QAA", "QBB", ArrDelay=None),
    {**V2_ROWS[18], "Diverted": 0, "TailNum": "V9"},
    {**V2_ROWS[0], "TailNum": "000000"},
    {**V2_ROWS[12], "Cancelled": 0, "DepDelay": 5, "ArrDelay": 5},
]


@pytest.fixture(scope="module")
def parity_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("parity")
    asa = generate_sample_data(root / "asa", 6000, "asa", seed=11, start_date=date(2007, 11, 1), months=4)
    bts = generate_sample_data(root / "bts", 2000, "bts", seed=12, start_date=date(2008, 6, 1), months=1)
    edges = write_asa_csv(root / "edges" / "edges.csv", EDGE_ROWS)
    v2_rows = write_asa_csv(root / "v2" / "v2.csv", V2_ROWS)
    v2_copies = write_asa_csv(root / "v2-copies" / "v2.csv", V2_COPIES)
    return [*asa.data_files, *bts.data_files, edges, v2_rows, v2_copies]


def sorted_features(root: Path) -> pd.DataFrame:
    frame = read_features(root).to_pandas()
    return frame.sort_values(SORT_KEYS, na_position="last").reset_index(drop=True)


def test_duckdb_and_spark_produce_identical_features(parity_inputs, spark_session, tmp_path):
    # Given the same generated and hand-made input
    # When both engines run it
    duck = run_etl(parity_inputs, tmp_path / "duckdb", engine="duckdb")
    spark = run_etl(parity_inputs, tmp_path / "spark", engine="spark", spark=spark_session)
    # Then the counts agree ...
    assert (duck.rows_read, duck.rows_kept, duck.rows_written) == (spark.rows_read, spark.rows_kept, spark.rows_written)
    assert duck.dropped == spark.dropped
    assert duck.partitions == spark.partitions
    assert duck.rows_written > 7000
    # ... and every column of every row agrees (floats to 1e-9)
    left, right = sorted_features(tmp_path / "duckdb"), sorted_features(tmp_path / "spark")
    assert list(left.columns) == list(right.columns)
    for column in FEATURE_COLUMNS:
        a, b = left[column.name], right[column.name]
        assert (a.isna() == b.isna()).all(), column.name
        if column.arrow_type is ArrowType.FLOAT64:
            np.testing.assert_allclose(a.dropna().to_numpy(float), b.dropna().to_numpy(float), rtol=0, atol=1e-9)
        else:
            assert (a.dropna() == b.dropna()).all(), column.name


def test_parity_input_exercises_every_rule(parity_inputs, tmp_path):
    # Given the parity input, when DuckDB runs it
    summary = run_etl(parity_inputs, tmp_path / "duckdb", engine="duckdb")
    features = sorted_features(tmp_path / "duckdb")
    # Then the comparison above covers chains, cascades, history, placeholders and every drop reason
    assert features["turnaroundminutes"].notna().sum() > 1000
    assert features["cascade"].sum() > 50
    assert features["routeavgarrdelay"].notna().sum() > 1000
    assert features["tail_number"].isna().sum() >= 1
    assert all(count >= 1 for count in summary.dropped.values()), summary.dropped
    # ... and the version-2 cases: arrival days, cancelled legs in the chain, duplicates
    v2_legs = features[features["tail_number"].str.startswith("V", na=False)].set_index(["tail_number", "crs_dep_time"])
    assert v2_legs.loc[("V1", 840), "turnaroundminutes"] == 45
    assert v2_legs.loc[("V2", 30), "turnaroundminutes"] == 50
    assert pd.isna(v2_legs.loc[("V3", 840), "turnaroundminutes"])
    assert v2_legs.loc[("V4", 100), "turnaroundminutes"] == 60
    assert v2_legs.loc[("V5", 800), "cascade"] and v2_legs.loc[("V7", 2200), "cascade"]
    assert pd.isna(v2_legs.loc[("V5", 1200), "turnaroundminutes"]) and v2_legs.loc[("V5", 1200), "leg_number"] == 3
    assert not v2_legs.loc[("V6", 800), "cascade"] and not v2_legs.loc[("V8", 800), "cascade"]
    assert summary.dropped["duplicate"] >= 4  # V2_COPIES has 4 (the generator may add more)
