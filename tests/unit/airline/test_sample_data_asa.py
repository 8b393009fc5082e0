"""The ASA layout written by `airline sample-data --format asa`: header, nulls, shuffling, determinism."""

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from airline_shared.raw_formats import ASA_COLUMNS, ASA_NULL

from airline.sample_data import ASA_FILE, CARRIERS_FILE, SampleDataError, SampleDataSummary, generate_sample_data

FLIGHTS = 12_000


@pytest.fixture(scope="module")
def asa(tmp_path_factory: pytest.TempPathFactory) -> SampleDataSummary:
    return generate_sample_data(tmp_path_factory.mktemp("asa"), FLIGHTS, "asa", seed=11, months=2)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, na_values=[ASA_NULL], keep_default_na=False, dtype={"TailNum": str})


def test_header_is_the_29_asa_columns_in_alphabetical_order(asa: SampleDataSummary) -> None:
    # Given a generated ASA file
    # When its first line is read
    header = (asa.out_dir / ASA_FILE).read_text().splitlines()[0].split(",")
    # Then it lists the 29 ASA columns, sorted as the real file's header is
    assert header == sorted(ASA_COLUMNS)
    assert len(header) == 29


def test_every_row_has_29_fields(asa: SampleDataSummary) -> None:
    with open(asa.out_dir / ASA_FILE, newline="") as f:
        widths = {len(row) for row in csv.reader(f)}
    assert widths == {29}


def test_writes_exactly_the_requested_number_of_flights(asa: SampleDataSummary) -> None:
    # Given a request for FLIGHTS flights, When the file is read, Then it holds exactly that many rows
    frame = _read(asa.out_dir / ASA_FILE)
    keys = ["Year", "Month", "DayofMonth", "UniqueCarrier", "FlightNum", "Origin", "Dest", "CRSDepTime"]
    # (plus the second copies of the duplicated flights, counted apart)
    assert asa.rows == FLIGHTS
    assert len(frame) == FLIGHTS + asa.duplicate_rows
    assert len(frame.drop_duplicates(keys)) == FLIGHTS


def test_nulls_are_written_as_na(asa: SampleDataSummary) -> None:
    # Given the raw text of the file
    text = (asa.out_dir / ASA_FILE).read_text()
    frame = _read(asa.out_dir / ASA_FILE)
    cancelled = frame[frame.Cancelled == 1]
    # Then cancelled flights carry NA departure times and no other null spelling appears
    assert len(cancelled) > 0
    assert cancelled.DepTime.isna().all()
    assert ",NA," in text
    for spelling in (",nan,", ",None,", ",NaN,", ",null,"):
        assert spelling not in text


def test_rows_are_shuffled(asa: SampleDataSummary) -> None:
    # Given the rows in file order, When their dates are compared, Then they are not in date order
    frame = _read(asa.out_dir / ASA_FILE)
    days = (frame.Month * 100 + frame.DayofMonth).tolist()
    assert days != sorted(days)
    assert frame.Month.iloc[: len(frame) // 10].nunique() == 2  # both months appear early in the file


def test_same_seed_writes_identical_files(tmp_path: Path) -> None:
    # Given two runs with the same seed
    first = generate_sample_data(tmp_path / "a", 3_000, "asa", seed=3, months=1)
    second = generate_sample_data(tmp_path / "b", 3_000, "asa", seed=3, months=1)
    # Then both files are byte-identical
    assert (first.out_dir / ASA_FILE).read_bytes() == (second.out_dir / ASA_FILE).read_bytes()


def test_different_seeds_write_different_files(tmp_path: Path) -> None:
    first = generate_sample_data(tmp_path / "a", 3_000, "asa", seed=3, months=1)
    second = generate_sample_data(tmp_path / "b", 3_000, "asa", seed=4, months=1)
    assert (first.out_dir / ASA_FILE).read_bytes() != (second.out_dir / ASA_FILE).read_bytes()


def test_period_follows_start_date_and_months(tmp_path: Path) -> None:
    # Given a start date and a number of months
    summary = generate_sample_data(tmp_path, 2_000, "asa", seed=1, start_date=date(2008, 11, 1), months=3)
    frame = _read(tmp_path / ASA_FILE)
    # Then every flight falls inside those months
    assert (summary.start_date, summary.end_date) == (date(2008, 11, 1), date(2009, 1, 31))
    assert set(zip(frame.Year, frame.Month, strict=True)) == {(2008, 11), (2008, 12), (2009, 1)}


def test_carriers_file_lists_every_carrier_used_with_quoted_header(asa: SampleDataSummary) -> None:
    # Given the carriers lookup next to the data
    lines = (asa.out_dir / CARRIERS_FILE).read_text().splitlines()
    with open(asa.out_dir / CARRIERS_FILE, newline="") as f:
        codes = {row["Code"] for row in csv.DictReader(f)}
    used = set(_read(asa.out_dir / ASA_FILE).UniqueCarrier)
    # Then it has the quoted header, every carrier flown and some extra ones
    assert lines[0] == '"Code","Description"'
    assert all(line.startswith('"') for line in lines)
    assert used <= codes
    assert len(codes) > len(used)


def test_no_temporary_files_are_left_behind(asa: SampleDataSummary) -> None:
    assert sorted(p.name for p in asa.out_dir.iterdir()) == sorted([ASA_FILE, CARRIERS_FILE])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"flights": 0}, "--flights must be at least 1"),
        ({"flights": 10, "months": 0}, "--months must be between 1 and 120"),
        ({"flights": 10, "fmt": "parquet"}, "--format must be 'asa' or 'bts'"),
    ],
)
def test_invalid_arguments_are_rejected_with_a_clear_message(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(SampleDataError, match=message):
        generate_sample_data(tmp_path, **kwargs)
