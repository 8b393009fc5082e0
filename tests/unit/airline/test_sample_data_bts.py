"""The BTS layout written by `airline sample-data --format bts`: monthly zips of one CSV each."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from airline_shared.raw_formats import ASA_NULL, BTS_SIGNATURE, BTS_TO_ASA

from airline.sample_data import ASA_FILE, CARRIERS_FILE, SampleDataSummary, generate_sample_data
from airline.sample_data_reference import BTS_COLUMNS

FLIGHTS = 8_000


@pytest.fixture(scope="module")
def bts(tmp_path_factory: pytest.TempPathFactory) -> SampleDataSummary:
    return generate_sample_data(tmp_path_factory.mktemp("bts"), FLIGHTS, "bts", seed=9, months=2)


def _csv_text(zip_path: Path) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        (member,) = [n for n in archive.namelist() if n.endswith(".csv")]
        return archive.read(member).decode()


def _frame(summary: SampleDataSummary) -> pd.DataFrame:
    texts = [_csv_text(p) for p in summary.data_files]
    return pd.concat(
        [pd.read_csv(io.StringIO(t), dtype={"CRSDepTime": str, "DepTime": str, "CRSArrTime": str}) for t in texts]
    )


def test_writes_one_zip_per_month_named_like_the_bts_download(bts: SampleDataSummary) -> None:
    names = [p.name for p in bts.data_files]
    assert names == [
        "On_Time_Reporting_Carrier_On_Time_Performance_1987_present_2007_1.zip",
        "On_Time_Reporting_Carrier_On_Time_Performance_1987_present_2007_2.zip",
    ]
    assert (bts.out_dir / CARRIERS_FILE).exists()
    assert not (bts.out_dir / ASA_FILE).exists()


def test_each_zip_holds_exactly_one_csv(bts: SampleDataSummary) -> None:
    for path in bts.data_files:
        with zipfile.ZipFile(path) as archive:
            csvs = [n for n in archive.namelist() if n.lower().endswith(".csv")]
        assert len(csvs) == 1
        assert csvs[0].startswith("On_Time_Reporting_Carrier_On_Time_Performance_(1987_present)_2007_")


def test_header_has_the_109_bts_columns_and_a_trailing_empty_one(bts: SampleDataSummary) -> None:
    # Given the first line of a monthly CSV
    header = next(csv.reader(io.StringIO(_csv_text(bts.data_files[0]))))
    # Then it carries the BTS signature, every column the pipeline maps, and a trailing empty name
    assert len(header) == 110
    assert header[-1] == ""
    assert tuple(header[:-1]) == BTS_COLUMNS
    assert set(header) >= BTS_SIGNATURE
    assert set(BTS_TO_ASA) <= set(header)


def test_every_row_has_110_fields(bts: SampleDataSummary) -> None:
    rows = list(csv.reader(io.StringIO(_csv_text(bts.data_files[1]))))
    assert {len(r) for r in rows} == {110}


def test_values_follow_the_bts_conventions(bts: SampleDataSummary) -> None:
    # Given the raw text of the first data row
    line = _csv_text(bts.data_files[0]).splitlines()[1]
    # Then the date is ISO, times are quoted zero-padded HHMM strings and flags are 0.00/1.00
    assert re.match(r'^2007,1,1,\d{1,2},\d,2007-01-\d\d,"[A-Z0-9]{2}",\d+,"[A-Z0-9]{2}",', line)
    assert re.search(r',"\d{4}","\d{4}",-?\d+\.00,', line)
    frame = _frame(bts)
    assert set(frame.Cancelled.map("{:.2f}".format)) == {"0.00", "1.00"}
    assert frame.CRSDepTime.str.fullmatch(r"\d{4}").all()


def test_flight_date_matches_year_month_day(bts: SampleDataSummary) -> None:
    frame = _frame(bts)
    rebuilt = pd.to_datetime({"year": frame.Year, "month": frame.Month, "day": frame.DayofMonth})
    assert (pd.to_datetime(frame.FlightDate) == rebuilt).all()
    assert len(frame) == FLIGHTS + bts.duplicate_rows


def test_bts_and_asa_hold_the_same_flights_for_a_seed(bts: SampleDataSummary, tmp_path: Path) -> None:
    # Given the ASA file simulated with the same seed and period
    generate_sample_data(tmp_path, FLIGHTS, "asa", seed=9, months=2)
    asa = pd.read_csv(tmp_path / ASA_FILE, na_values=[ASA_NULL], keep_default_na=False, dtype={"TailNum": str})
    frame = _frame(bts)
    # When both are keyed by date, carrier, flight number and origin
    key = ["Month", "DayofMonth", "carrier", "flight", "Origin"]
    left = asa.rename(columns={"UniqueCarrier": "carrier", "FlightNum": "flight"})[[*key, "ArrDelay"]]
    right = frame.rename(columns={"Reporting_Airline": "carrier", "Flight_Number_Reporting_Airline": "flight"})[
        [*key, "ArrDelay"]
    ]
    left, right = left.drop_duplicates(), right.drop_duplicates()  # identical second copies
    merged = left.merge(right, on=[*key, "ArrDelay"])
    # Then every flight (and every re-exported copy) appears in both with the same arrival delay
    assert len(merged) == len(left) == len(right)
    assert len(merged[key].drop_duplicates()) == FLIGHTS


def test_same_seed_writes_identical_zips(tmp_path: Path) -> None:
    first = generate_sample_data(tmp_path / "a", 2_000, "bts", seed=2, months=1)
    second = generate_sample_data(tmp_path / "b", 2_000, "bts", seed=2, months=1)
    assert first.data_files[0].read_bytes() == second.data_files[0].read_bytes()
