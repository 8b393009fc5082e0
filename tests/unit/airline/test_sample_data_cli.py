"""`airline sample-data`: the thin command over generate_sample_data."""

from pathlib import Path

from typer.testing import CliRunner

from airline.cli import app
from airline.sample_data import ASA_FILE, CARRIERS_FILE

runner = CliRunner()


def test_command_writes_the_files_and_prints_a_summary(tmp_path: Path) -> None:
    # When the command runs with a small number of flights
    result = runner.invoke(
        app, ["sample-data", "--out", str(tmp_path), "--flights", "1500", "--months", "1", "--seed", "3"]
    )
    # Then it exits 0, writes the ASA file and carriers lookup, and reports what it wrote
    assert result.exit_code == 0, result.output
    assert (tmp_path / ASA_FILE).exists()
    assert (tmp_path / CARRIERS_FILE).exists()
    assert "wrote 1,500 flights (asa)" in result.output


def test_start_date_sets_the_first_day(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["sample-data", "--out", str(tmp_path), "--flights", "500", "--months", "1", "--start-date", "2008-03-01"]
    )
    assert result.exit_code == 0, result.output
    assert "2008-03-01 .. 2008-03-31" in result.output


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sample-data", "--out", str(tmp_path), "--flights", "10", "--format", "xml"])
    assert result.exit_code == 2
    assert "--format must be 'asa' or 'bts'" in result.output


def test_zero_flights_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sample-data", "--out", str(tmp_path), "--flights", "0"])
    assert result.exit_code == 2
