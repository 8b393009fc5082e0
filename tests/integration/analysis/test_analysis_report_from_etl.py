"""The report and the Athena parity on features the real ETL built from simulated raw data."""

import math
from pathlib import Path

import duckdb
import pytest
import sqlglot
from etl_job.run import run_etl

from airline.analysis import athena_sql, list_queries, run_query
from airline.analysis.library import features_view_sql
from airline.analysis.report import build_report
from airline.sample_data import generate_sample_data


@pytest.fixture(scope="module")
def etl_features_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("etl")
    sample = generate_sample_data(root / "raw", flights=20_000, months=2)
    run_etl([*sample.data_files, sample.carriers_file], root / "features")
    return root / "features"


def test_report_from_etl_output_has_every_chart_and_needs_no_network(etl_features_dir, tmp_path):
    # When
    html = build_report(etl_features_dir, tmp_path / "report.html").read_text(encoding="utf-8")

    # Then
    assert html.count('<img src="data:image/png;base64,') == 5
    assert html.count("<figcaption>") == 5
    assert "http://" not in html
    assert "https://" not in html
    assert 'src="//' not in html


def test_tighter_scheduled_turnarounds_cascade_more_in_simulated_data(etl_features_dir):
    # When
    bands = run_query("cascade_by_turnaround_band", etl_features_dir).to_pylist()

    # Then the tightest band cascades more often than the loosest (the simulator's built-in effect)
    rate = {b["turnaround_band"]: b["cascade_rate_of_late"] for b in bands}
    assert rate["<30"] > rate["120+"]
    assert rate["none"] == 0.0


def _same_rows(actual: list[dict], expected: list[dict]) -> bool:
    def same(a: object, b: object) -> bool:
        if isinstance(a, float) and isinstance(b, float):
            return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
        return a == b

    return len(actual) == len(expected) and all(
        got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)
        for got, want in zip(actual, expected, strict=True)
    )


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_athena_text_matches_local_result_on_etl_output(etl_features_dir, name):
    # Given the local result
    local = run_query(name, etl_features_dir).to_pylist()

    # When the Athena text, transpiled from Trino to DuckDB, runs on the same snapshot
    with duckdb.connect() as connection:
        connection.execute(features_view_sql(etl_features_dir))
        duckdb_sql = sqlglot.transpile(athena_sql(name), read="trino", write="duckdb")[0]
        athena = connection.sql(duckdb_sql).to_arrow_table().to_pylist()

    # Then
    assert local
    assert _same_rows(athena, local)
