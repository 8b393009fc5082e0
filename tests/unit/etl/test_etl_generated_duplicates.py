"""`airline etl` on generated data: one features row per flight key, duplicates counted (contract version 2)."""

from datetime import date
from pathlib import Path

import pandas as pd
from etl_job.definition import FLIGHT_KEY
from etl_job.models import SUMMARY_FILE, RunSummary
from etl_job.schema import read_features
from typer.testing import CliRunner

from airline.cli import app
from airline.sample_data import generate_sample_data


def _etl(inputs: list[Path], out: Path) -> tuple[pd.DataFrame, RunSummary]:
    """`airline etl <inputs> --out <out>`: the features (sorted by flight key) and the run summary."""
    result = CliRunner().invoke(app, ["etl", *map(str, inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = RunSummary.model_validate_json((out / SUMMARY_FILE).read_text())
    features = read_features(out).to_pandas().sort_values([*FLIGHT_KEY, "tail_number"], na_position="last")
    return features.reset_index(drop=True), summary


def test_the_same_generated_flights_in_asa_and_bts_files_give_one_row_per_flight(tmp_path: Path) -> None:
    # Given two months of generated flights, written once as an ASA file and once as BTS monthly zips
    asa = generate_sample_data(tmp_path / "asa", 20_000, "asa", seed=5, start_date=date(2008, 1, 1), months=2)
    bts = generate_sample_data(tmp_path / "bts", 20_000, "bts", seed=5, start_date=date(2008, 1, 1), months=2)

    # When `airline etl` reads the ASA file alone, and both layouts together
    alone, alone_summary = _etl(list(asa.data_files), tmp_path / "alone")
    both, summary = _etl([*asa.data_files, *bts.data_files], tmp_path / "both")

    # Then there is exactly one row per flight key; the generator's own duplicate rows and every BTS copy
    # are counted as duplicates, and the features are those of one copy (rotations, leg numbers and 90-day
    # history untouched by the copies)
    assert not alone.duplicated(list(FLIGHT_KEY)).any()
    assert not both.duplicated(list(FLIGHT_KEY)).any()
    assert summary.rows_written == summary.rows_kept == alone_summary.rows_kept > 19_000
    assert alone_summary.dropped["duplicate"] > 0
    assert summary.dropped["duplicate"] >= alone_summary.dropped["duplicate"] + alone_summary.rows_kept
    pd.testing.assert_frame_equal(both, alone)
