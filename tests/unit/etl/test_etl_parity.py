"""Parity: the same input through DuckDB and local PySpark gives identical features and counts."""

from datetime import date
from pathlib import Path

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


@pytest.fixture(scope="module")
def parity_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("parity")
    asa = generate_sample_data(root / "asa", 6000, "asa", seed=11, start_date=date(2007, 11, 1), months=4)
    bts = generate_sample_data(root / "bts", 2000, "bts", seed=12, start_date=date(2008, 6, 1), months=1)
    edges = write_asa_csv(root / "edges" / "edges.csv", EDGE_ROWS)
    return [*asa.data_files, *bts.data_files, edges]


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
