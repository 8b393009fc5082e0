"""`airline query` and `airline report` through typer's CliRunner."""

import csv
import io
import json

from typer.testing import CliRunner

from airline.cli import app

runner = CliRunner()


def test_query_without_name_lists_queries_with_descriptions():
    # When
    result = runner.invoke(app, ["query"])

    # Then
    assert result.exit_code == 0
    assert "worst_routes" in result.stdout
    assert "Top 20 origin-dest routes" in result.stdout


def test_unknown_query_name_fails_listing_available_names(features_dir_from, flight):
    # Given
    features_dir = features_dir_from([flight()])

    # When
    result = runner.invoke(app, ["query", "worst_route", "--features", str(features_dir)])

    # Then
    assert result.exit_code != 0
    assert "Unknown query 'worst_route'" in result.stderr
    assert "worst_routes" in result.stderr
    assert "Traceback" not in result.output


def test_query_writes_csv_with_header(features_dir_from, flight):
    # Given AA: 2 flights, 1 cascade; DL: 1 flight
    rows = [flight(carrier="AA", arrdelay=30.0, cascade=True), flight(carrier="AA"), flight(carrier="DL")]
    features_dir = features_dir_from(rows)

    # When
    result = runner.invoke(app, ["query", "cascade_by_carrier", "--features", str(features_dir), "--format", "csv"])

    # Then
    assert result.exit_code == 0, result.output
    parsed = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["carrier"], r["flights"], r["cascades"], r["cascade_rate"]) for r in parsed] == [
        ("AA", "2", "1", "0.5"),
        ("DL", "1", "0", "0"),
    ]


def test_query_writes_json_to_file_with_limit(tmp_path, features_dir_from, flight):
    # Given three carriers
    features_dir = features_dir_from([flight(carrier=c) for c in ("AA", "DL", "UA")])
    out = tmp_path / "out" / "result.json"

    # When
    result = runner.invoke(
        app,
        ["query", "ontime_by_carrier_month", "--features", str(features_dir), "--format", "json", "--out", str(out), "--limit", "2"],
    )  # fmt: skip

    # Then
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text())
    assert [r["carrier"] for r in records] == ["AA", "DL"]
    assert records[0]["month"] == 1


def test_query_prints_a_rich_table_by_default(features_dir_from, flight):
    # Given
    features_dir = features_dir_from([flight(carrier="AA")])

    # When
    result = runner.invoke(app, ["query", "ontime_by_carrier", "--features", str(features_dir)])

    # Then
    assert result.exit_code == 0, result.output
    assert "ontime_rate" in result.stdout
    assert "AA" in result.stdout
    assert "1 rows" in result.stdout


def test_raw_sql_error_is_shown_without_traceback(features_dir_from, flight):
    # Given
    features_dir = features_dir_from([flight()])

    # When
    result = runner.invoke(app, ["query", "SELECT nope FROM features", "--features", str(features_dir)])

    # Then
    assert result.exit_code == 1
    assert "Error:" in result.stderr
    assert "nope" in result.stderr
    assert "Traceback" not in result.output


def test_query_without_features_option_explains_it_is_required():
    # When
    result = runner.invoke(app, ["query", "summary"])

    # Then
    assert result.exit_code == 2
    assert "--features" in result.stderr


def test_report_command_writes_the_page_and_prints_its_path(tmp_path, features_dir_from, flight):
    # Given
    features_dir = features_dir_from([flight(), flight(carrier="DL", arrdelay=30.0)])
    out = tmp_path / "report.html"

    # When
    result = runner.invoke(app, ["report", "--features", str(features_dir), "--out", str(out)])

    # Then
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.stdout
    assert out.read_text().count('<img src="data:image/png;base64,') == 5
