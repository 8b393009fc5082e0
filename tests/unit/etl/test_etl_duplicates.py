"""Duplicates (contract version 2): DuckDB, the main cases also on Spark.

Among the rows that would otherwise be kept, rows with the same (flight_date, carrier, flight_number, origin,
dest, crs_dep_time) are one flight: the first in rotation order is kept, the others are counted as `duplicate`,
also across the files of one run. They feed neither features, rotations nor the 90-day history.
"""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from etl_rows import asa_row, bts_csv_text, leg


def rotation() -> list[dict[str, Any]]:
    """Tail N100: A->B 20 late, B->C 25 late, C->A, and a cancelled A->D."""
    return [
        leg(10, 800, 1000, "AAA", "BBB", ArrDelay=20),
        leg(10, 1100, 1200, "BBB", "CCC", DepDelay=25),
        leg(10, 1300, 1400, "CCC", "AAA"),
        leg(10, 1500, 1600, "AAA", "DDD", Cancelled=1, DepDelay=None, ArrDelay=None),
    ]


def as_bts(row: dict[str, Any]) -> dict[str, str]:
    """The same flight as a BTS line: 'YYYY-MM-DD' date, 'HHMM' times, '1.00' flags, '20.00' delays."""

    def number(value: Any) -> str:
        return "" if value is None else f"{float(value):.2f}"

    return {
        "FlightDate": f"{row['Year']}-{row['Month']:02d}-{row['DayofMonth']:02d}",
        "Reporting_Airline": row["UniqueCarrier"], "Flight_Number_Reporting_Airline": str(row["FlightNum"]),
        "Tail_Number": row["TailNum"], "Origin": row["Origin"], "Dest": row["Dest"],
        "CRSDepTime": f"{row['CRSDepTime']:04d}", "CRSArrTime": f"{row['CRSArrTime']:04d}",
        "CRSElapsedTime": number(row["CRSElapsedTime"]), "DepDelay": number(row["DepDelay"]),
        "ArrDelay": number(row["ArrDelay"]), "Cancelled": number(row["Cancelled"]),
        "Diverted": number(row["Diverted"]), "Distance": number(row["Distance"]),
    }  # fmt: skip


def test_same_flights_in_an_asa_file_and_a_bts_month_are_counted_once(run_each_engine, tmp_path: Path):
    # Given one rotation in an ASA file and again in a BTS monthly file
    bts = tmp_path / "bts" / "On_Time_2008_1.csv"
    bts.parent.mkdir()
    bts.write_text(bts_csv_text([as_bts(r) for r in rotation()]))
    # When one run reads both
    features, summary = run_each_engine(rotation(), bts)
    # Then every flight is there once, with its rotation intact
    assert (summary.rows_read, summary.rows_kept, summary.rows_written) == (8, 3, 3)
    assert summary.dropped["duplicate"] == 3
    assert summary.dropped["cancelled"] == 2
    assert list(features["leg_number"]) == [1, 2, 3]
    assert list(features["turnaroundminutes"].fillna(-1)) == [-1, 60, 60]
    assert list(features["cascade"]) == [True, False, False]
    assert features.iloc[2]["next_turnaroundminutes"] == 60


def test_file_dropped_twice_under_another_name_is_counted_once(run_files):
    # Given the same rows in two ASA files
    # When
    features, summary = run_files(rotation(), rotation())
    # Then leg numbers run 1-3 (not 1-5) and the chain is whole
    assert summary.dropped["duplicate"] == 3
    assert list(features["leg_number"]) == [1, 2, 3]
    assert features.iloc[1]["prevflightarrdelay"] == 20
    assert bool(features.iloc[0]["cascade"])


@pytest.mark.parametrize(
    ("first", "second", "column", "kept"),
    [
        ({"DepDelay": None}, {"DepDelay": 10}, "depdelay", 10),
        ({"DepDelay": 12}, {"DepDelay": 10}, "depdelay", 10),
        ({"TailNum": "000000"}, {"TailNum": "N7"}, "tail_number", "N7"),
        ({"TailNum": "N8"}, {"TailNum": "N7"}, "tail_number", "N7"),
    ],
)
def test_the_first_copy_in_rotation_order_is_kept(run_files, first, second, column, kept):
    # Given two copies of one flight that differ in one value, in two files
    # When
    features, summary = run_files([asa_row(**first)], [asa_row(**second)])
    # Then one is kept: the first in rotation order (missing delays and placeholder tails last)
    assert summary.rows_written == 1
    assert summary.dropped["duplicate"] == 1
    assert features.iloc[0][column] == kept


def test_flights_differing_in_any_key_field_are_not_duplicates(run_files):
    # Given a flight and five others, each differing from it in one key field
    rows = [
        asa_row(),
        asa_row(DayofMonth=11),
        asa_row(UniqueCarrier="AA"),
        asa_row(FlightNum=2),
        asa_row(Origin="CCC"),
        asa_row(Dest="CCC"),
        asa_row(CRSDepTime=805),
    ]
    # When
    _, summary = run_files(rows)
    # Then none is a duplicate
    assert summary.dropped["duplicate"] == 0
    assert summary.rows_written == 7


def test_flown_and_cancelled_copies_of_one_flight_take_one_place(run_files):
    # Given A->B reported flown in one file and cancelled in another, then B->C
    flown = leg(10, 800, 1000, "AAA", "BBB", ArrDelay=20)
    cancelled_copy = {**flown, "Cancelled": 1, "ArrDelay": None}
    following = leg(10, 1100, 1200, "BBB", "CCC", DepDelay=20)
    # When
    features, summary = run_files([flown, following], [cancelled_copy])
    # Then the flown copy is the leg: B->C is leg 2 and follows it; the cancelled row is counted as cancelled
    assert summary.dropped["cancelled"] == 1
    assert summary.dropped["duplicate"] == 0
    assert list(features["leg_number"]) == [1, 2]
    assert features.iloc[1]["prevflightarrdelay"] == 20
    assert bool(features.iloc[0]["cascade"])


def test_cancelled_leg_in_two_files_takes_one_place(run_files):
    # Given a cancelled leg reported in two files, between two legs of its tail
    rows = [leg(10, 800, 1000, "AAA", "BBB"), leg(10, 1200, 1300, "CCC", "DDD")]
    cancelled_leg = leg(10, 1030, 1130, "BBB", "CCC", Cancelled=1, DepDelay=None, ArrDelay=None)
    # When
    features, summary = run_files([*rows, cancelled_leg], [cancelled_leg])
    # Then both rows are counted as cancelled, and the day has three scheduled legs
    assert summary.dropped["cancelled"] == 2
    assert list(features["leg_number"]) == [1, 3]


def test_duplicates_count_once_in_the_90_day_history(run_files):
    # Given yesterday's AAA->BBB flights: one 10 minutes late (reported in two files), one 40 late
    target = date(2008, 1, 10)
    day = target - timedelta(days=1)
    earlier = {"Year": day.year, "Month": day.month, "DayofMonth": day.day, "TailNum": "000000"}
    late_10 = asa_row(**earlier, ArrDelay=10)
    late_40 = asa_row(**earlier, ArrDelay=40, FlightNum=2)
    # When
    features, summary = run_files([late_10, late_40, asa_row(TailNum="000000", FlightNum=3)], [late_10])
    # Then the average is (10 + 40) / 2, not (10 + 10 + 40) / 3
    row = features[features["flight_date"] == target].iloc[0]
    assert summary.dropped["duplicate"] == 1
    assert row["routeavgarrdelay"] == 25
    assert row["carrieravgarrdelay"] == 25
