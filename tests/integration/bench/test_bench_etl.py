"""The ETL benchmark runs the engine, pandas and the CSV-copy ceiling on one generated input and compares them."""

import json

from airline.bench.etl import run_etl_benchmark


def test_a_small_run_reports_every_implementation_on_the_same_rows(tmp_path):
    # Given a tiny benchmark size
    # When the benchmark runs
    report = run_etl_benchmark([3000], tmp_path)

    # Then the ceiling, the engine and pandas each read every generated row, DuckDB and pandas write the
    # same rows, and the ratio is the time ratio
    by_impl = {r["impl"]: r for r in report["results"]}
    assert set(by_impl) == {"csv-copy", "duckdb", "pandas"}
    assert all("error" not in r for r in by_impl.values()), by_impl
    data = next((tmp_path / "data").glob("etl-3000-*/airline.csv.shuffle"))
    lines = sum(1 for _ in data.open()) - 1  # the generator writes some flights twice
    assert lines > 3000
    assert {r["rows_read"] for r in by_impl.values()} == {lines}
    # Both follow contract version 2 (one row per flight key; cancelled and diverted legs get none)
    assert 0.9 * 3000 < by_impl["duckdb"]["rows_written"] == by_impl["pandas"]["rows_written"] < 3000
    expected = round(by_impl["pandas"]["seconds"] / by_impl["duckdb"]["seconds"], 2)
    assert by_impl["duckdb"]["speedup_vs_pandas"] == expected
    assert json.loads((tmp_path / "etl.json").read_text()) == report
    assert "ceiling" in (tmp_path / "etl.md").read_text()
