"""Raw inputs: ASA in any header order / gzip, BTS monthly CSV and zip, carriers, unknown layouts."""

import gzip
import zipfile
from pathlib import Path

import pytest
from airline_shared.raw_formats import ASA_COLUMNS
from etl_job.inputs import header_from_bytes
from etl_job.models import InputFormatError
from etl_job.run import run_etl
from etl_job.schema import read_features
from etl_rows import BTS_HEADER, asa_row, bts_csv_text, write_asa_csv

BTS_ROWS = [
    {"FlightDate": "2019-03-04", "Year": "2019", "Month": "3", "DayofMonth": "4", "DayOfWeek": "1",
     "Reporting_Airline": "9E", "Flight_Number_Reporting_Airline": "3280", "Tail_Number": "N8928A",
     "Origin": "ATL", "Dest": "CHA", "CRSDepTime": "0730", "DepTime": "0745", "DepDelay": "15.00",
     "CRSArrTime": "0830", "ArrTime": "0850", "ArrDelay": "20.00", "Cancelled": "0.00", "Diverted": "0.00",
     "Distance": "106.00", "LateAircraftDelay": "5.00"},
    {"FlightDate": "2019-03-04", "Year": "2019", "Month": "3", "DayofMonth": "4", "DayOfWeek": "1",
     "Reporting_Airline": "9E", "Flight_Number_Reporting_Airline": "3281", "Tail_Number": "N8928A",
     "Origin": "CHA", "Dest": "ATL", "CRSDepTime": "0915", "DepTime": "0935", "DepDelay": "20.00",
     "CRSArrTime": "1020", "ArrTime": "1040", "ArrDelay": "20.00", "Cancelled": "0.00", "Diverted": "0.00",
     "Distance": "106.00"},
    {"FlightDate": "2019-03-04", "Year": "2019", "Month": "3", "DayofMonth": "4", "DayOfWeek": "1",
     "Reporting_Airline": "9E", "Flight_Number_Reporting_Airline": "3282", "Tail_Number": "N8928A",
     "Origin": "ATL", "Dest": "MEM", "CRSDepTime": "1100", "CRSArrTime": "1200", "Cancelled": "1.00",
     "Diverted": "0.00", "Distance": "332.00"},
]  # fmt: skip


def test_bts_monthly_csv_is_mapped_to_the_same_features(tmp_path):
    # Given a BTS monthly CSV with "HHMM" strings, "1.00" flags and a trailing empty column
    path = tmp_path / "On_Time_2019_3.csv"
    path.write_text(bts_csv_text(BTS_ROWS))
    # When
    summary = run_etl([path], tmp_path / "out")
    # Then
    features = read_features(tmp_path / "out").to_pandas().sort_values("crs_dep_time")
    assert summary.dropped["cancelled"] == 1
    assert list(features["crs_dep_time"]) == [730, 915]
    assert features.iloc[1]["turnaroundminutes"] == 45
    assert features.iloc[1]["prevflightarrdelay"] == 20
    assert bool(features.iloc[0]["cascade"])
    assert features.iloc[0]["late_aircraft_delay"] == 5


def test_bts_zip_is_expanded_and_read(tmp_path):
    # Given the BTS monthly zip as downloaded (one CSV inside)
    path = tmp_path / "On_Time_2019_3.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("On_Time_Reporting_2019_3.csv", bts_csv_text(BTS_ROWS))
    # When
    summary = run_etl([path], tmp_path / "out")
    # Then
    assert (summary.rows_read, summary.rows_written) == (3, 2)
    assert summary.partitions == ["year=2019/month=03"]


def test_asa_header_in_any_order_is_matched_by_name(tmp_path):
    # Given the real file's alphabetical header
    path = write_asa_csv(tmp_path / "a.csv", [asa_row(CRSDepTime=615, Origin="SFO")], tuple(sorted(ASA_COLUMNS)))
    # When
    run_etl([path], tmp_path / "out")
    # Then
    row = read_features(tmp_path / "out").to_pylist()[0]
    assert (row["crs_dep_time"], row["origin"], row["dest"]) == (615, "SFO", "BBB")


def test_gzipped_asa_file_is_read(tmp_path):
    # Given an ASA CSV compressed with gzip
    plain = write_asa_csv(tmp_path / "a.csv", [asa_row(), asa_row(FlightNum=2)])
    packed = tmp_path / "a.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    # When
    summary = run_etl([packed], tmp_path / "out")
    # Then
    assert summary.rows_written == 2


def test_carriers_lookup_is_accepted_and_not_counted_as_flights(tmp_path):
    # Given a flight file and carriers.csv
    flights = write_asa_csv(tmp_path / "a.csv", [asa_row()])
    carriers = tmp_path / "carriers.csv"
    carriers.write_text('"Code","Description"\n"WN","Southwest Airlines Co."\n')
    # When
    summary = run_etl([flights, carriers], tmp_path / "out")
    # Then
    assert summary.rows_read == 1
    assert summary.lookup_files == [str(carriers)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b,c\n1,2,3\n", "no known layout"),
        ("", "empty file"),
        ('"Code","Description"\n"WN","Southwest"\n', "no flight file"),
        ("Year,Month,DayofMonth,UniqueCarrier,Origin,Dest\n2008,1,1,WN,A,B\n", "lacks required columns"),
    ],
)
def test_unusable_input_raises_a_clear_error(tmp_path, content, message):
    # Given a file that cannot give flights
    path = tmp_path / "bad.csv"
    path.write_text(content)
    # When / Then
    with pytest.raises(InputFormatError, match=message):
        run_etl([path], tmp_path / "out")


def test_missing_input_file_raises_a_clear_error(tmp_path):
    with pytest.raises(InputFormatError, match="no such file"):
        run_etl([Path(tmp_path / "nope.csv")], tmp_path / "out")


def test_header_is_read_from_the_first_bytes_of_a_gzip_file():
    # Given only the first bytes of a gzipped BTS CSV (as a ranged GET returns them)
    packed = gzip.compress(bts_csv_text(BTS_ROWS * 50).encode())
    # When
    columns = header_from_bytes(packed[: len(packed) // 2])
    # Then the header is whole, the trailing empty name included
    assert columns == (*BTS_HEADER, f"_unnamed_{len(BTS_HEADER)}")
