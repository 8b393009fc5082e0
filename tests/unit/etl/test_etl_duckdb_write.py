"""DuckDB write: one Parquet file per month, rows in the documented OUTPUT_ORDER (one sorted write)."""

import random

import pyarrow.parquet as pq
from etl_job.definition import OUTPUT_ORDER
from etl_job.run import run_etl
from etl_rows import asa_row, write_asa_csv


def _sort_key(row: dict) -> tuple:
    """OUTPUT_ORDER ascending with NULLs last, as the engine sorts."""
    return tuple((row[c] is None, row[c] if row[c] is not None else 0) for c in OUTPUT_ORDER)


def test_each_month_is_one_file_with_rows_in_output_order(tmp_path):
    # Given shuffled January flights differing in date, carrier, flight number and departure (and tail)
    rows = [
        asa_row(DayofMonth=day, UniqueCarrier=carrier, FlightNum=number, TailNum=tail, CRSDepTime=dep, Origin="AAA",
                Dest="BBB")
        for day in (3, 1, 2)
        for carrier in ("UA", "AA")
        for number in (20, 7)
        for tail, dep in (("N2", 900), ("N1", 800), ("NA", 700))
    ]  # fmt: skip
    random.Random(5).shuffle(rows)
    source = write_asa_csv(tmp_path / "in" / "flights.csv", rows)

    # When the DuckDB engine writes the features
    run_etl([source], tmp_path / "out", engine="duckdb")

    # Then January is a single file whose rows follow OUTPUT_ORDER
    files = sorted((tmp_path / "out").glob("year=*/month=*/*.parquet"))
    assert [f"{f.parent.name}/{f.name}" for f in files] == ["month=01/part-0.parquet"]
    written = pq.read_table(files[0]).to_pylist()
    assert len(written) == len(rows)
    assert written == sorted(written, key=_sort_key)
