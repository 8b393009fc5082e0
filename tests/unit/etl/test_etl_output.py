"""Output: hive layout with two-digit months, the shared schema, staged publish, idempotent reruns."""

import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from etl_job.models import EtlError, InputFormatError
from etl_job.run import run_etl
from etl_job.schema import FEATURES_SCHEMA, FILE_SCHEMA, read_features
from etl_rows import asa_row, write_asa_csv


def two_month_input(tmp_path: Path) -> Path:
    rows = [asa_row(Month=1, DayofMonth=31), asa_row(Month=2, DayofMonth=1, Origin="BBB", Dest="CCC")]
    return write_asa_csv(tmp_path / "in" / "flights.csv", rows)


def digest(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every data file (the run summary holds a run id and timing)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "_run_summary.json"
    }


def test_partitions_are_year_and_two_digit_month_directories(tmp_path):
    # Given flights in January and February
    # When
    summary = run_etl([two_month_input(tmp_path)], tmp_path / "out")
    # Then
    dirs = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").glob("year=*/month=*"))
    assert dirs == ["year=2008/month=01", "year=2008/month=02"]
    assert summary.partitions == dirs


def test_files_hold_the_shared_schema_without_partition_keys(tmp_path):
    # Given / When
    run_etl([two_month_input(tmp_path)], tmp_path / "out")
    # Then
    for file in (tmp_path / "out").rglob("*.parquet"):
        schema = pq.read_schema(file)
        assert schema.names == FILE_SCHEMA.names
        assert [f.type for f in schema] == [f.type for f in FILE_SCHEMA]


def test_pyarrow_reader_gives_contract_columns_and_integer_month(tmp_path):
    # Given / When
    run_etl([two_month_input(tmp_path)], tmp_path / "out")
    table = read_features(tmp_path / "out")
    # Then
    assert table.schema.equals(FEATURES_SCHEMA)
    assert sorted(table.column("month").to_pylist()) == [1, 2]


def test_duckdb_reader_with_hive_types_reads_month_as_integer(tmp_path):
    # Given / When
    run_etl([two_month_input(tmp_path)], tmp_path / "out")
    rows = duckdb.execute(
        f"SELECT year, month FROM read_parquet('{tmp_path / 'out'}/**/*.parquet', hive_partitioning = true, "
        "hive_types = {'year': INTEGER, 'month': INTEGER}) ORDER BY month"
    ).fetchall()
    # Then
    assert rows == [(2008, 1), (2008, 2)]


def test_run_summary_is_written_beside_the_features(tmp_path):
    # Given / When
    summary = run_etl([two_month_input(tmp_path)], tmp_path / "out", run_id="r-1")
    # Then
    saved = json.loads((tmp_path / "out" / "_run_summary.json").read_text())
    assert saved == json.loads(summary.model_dump_json())
    assert (saved["run_id"], saved["engine"], saved["rows_written"]) == ("r-1", "duckdb", 2)


def test_rerun_on_the_same_input_gives_identical_files(tmp_path):
    # Given a first run
    source = two_month_input(tmp_path)
    run_etl([source], tmp_path / "out")
    first = digest(tmp_path / "out")
    # When the same input runs again into the same directory
    summary = run_etl([source], tmp_path / "out")
    # Then nothing is duplicated and every file is byte-identical
    assert digest(tmp_path / "out") == first
    assert read_features(tmp_path / "out").num_rows == summary.rows_written == 2


def test_failed_run_leaves_previous_output_intact(tmp_path):
    # Given a published output
    run_etl([two_month_input(tmp_path)], tmp_path / "out")
    before = digest(tmp_path / "out")
    # And an input whose third line has a missing field
    bad = write_asa_csv(tmp_path / "bad" / "flights.csv", [asa_row(), asa_row()])
    lines = bad.read_text().splitlines()
    bad.write_text("\n".join([*lines[:2], lines[2].rsplit(",", 3)[0], ""]))
    # When
    with pytest.raises(EtlError):
        run_etl([bad], tmp_path / "out")
    # Then: the old features are untouched and no staging or work directory is left behind
    assert digest(tmp_path / "out") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "in", "out"]


def test_unknown_input_leaves_previous_output_intact(tmp_path):
    # Given a published output and a file of unknown layout
    run_etl([two_month_input(tmp_path)], tmp_path / "out")
    before = digest(tmp_path / "out")
    junk = tmp_path / "junk.csv"
    junk.write_text("x,y\n1,2\n")
    # When
    with pytest.raises(InputFormatError):
        run_etl([junk], tmp_path / "out")
    # Then
    assert digest(tmp_path / "out") == before


def test_rerun_replaces_partitions_no_longer_produced(tmp_path):
    # Given an output with January and February
    run_etl([two_month_input(tmp_path)], tmp_path / "out")
    # When the next run only has January
    only_january = write_asa_csv(tmp_path / "jan" / "f.csv", [asa_row(Month=1)])
    summary = run_etl([only_january], tmp_path / "out")
    # Then the output is exactly the new run's
    assert summary.partitions == ["year=2008/month=01"]
    assert read_features(tmp_path / "out").num_rows == 1


def test_output_retired_by_an_interrupted_swap_is_restored(tmp_path):
    # Given a run that died after moving the old output aside but before moving the new one in
    run_etl([two_month_input(tmp_path)], tmp_path / "out")
    before = digest(tmp_path / "out")
    (tmp_path / "out").rename(tmp_path / ".out.old-dead-run")
    junk = tmp_path / "junk.csv"
    junk.write_text("x,y\n1,2\n")
    # When the next run fails
    with pytest.raises(InputFormatError):
        run_etl([junk], tmp_path / "out")
    # Then the previous output is back in place
    assert digest(tmp_path / "out") == before
