"""Cleaning rules: every dropped row is counted under one reason and kept out of the features."""

import pytest
from etl_rows import asa_row


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"UniqueCarrier": None}, "missing_key_fields"),
        ({"Origin": None}, "missing_key_fields"),
        ({"Dest": " "}, "missing_key_fields"),
        ({"Year": None}, "missing_key_fields"),
        ({"Month": 13}, "invalid_date"),
        ({"DayofMonth": 30, "Month": 2}, "invalid_date"),
        ({"DayofMonth": 123}, "invalid_date"),
        ({"Year": 8}, "invalid_date"),
        ({"Month": " "}, "missing_key_fields"),
        ({"Month": "ab"}, "invalid_date"),
        ({"Month": "7.5"}, "invalid_date"),
        ({"Year": 1900, "Month": 2, "DayofMonth": 29}, "invalid_date"),
        ({"Month": 4, "DayofMonth": 31}, "invalid_date"),
        ({"DayofMonth": 0}, "invalid_date"),
        ({"Cancelled": 1}, "cancelled"),
        ({"Diverted": 1}, "diverted"),
        ({"CRSDepTime": 2401}, "invalid_time"),
        ({"CRSArrTime": -5}, "invalid_time"),
        ({"CRSDepTime": 1275}, "invalid_time"),
        ({"CRSDepTime": None}, "invalid_time"),
        ({"CRSArrTime": "12x"}, "invalid_time"),
        ({"DepTime": 2500}, "invalid_time"),
        ({"Distance": 0}, "invalid_distance"),
        ({"Distance": -10}, "invalid_distance"),
        ({"Distance": None}, "invalid_distance"),
        ({"ArrDelay": 1441}, "invalid_delay"),
        ({"DepDelay": -121}, "invalid_delay"),
    ],
)
def test_invalid_row_is_counted_under_its_reason_and_left_out(run_rows, overrides, reason):
    # Given one valid row and one row with the defect
    rows = [asa_row(), asa_row(FlightNum=2, **overrides)]
    # When
    features, summary = run_rows(rows)
    # Then
    assert summary.dropped[reason] == 1
    assert sum(summary.dropped.values()) == 1
    assert (summary.rows_read, summary.rows_kept, summary.rows_written) == (2, 1, 1)
    assert list(features["flight_number"]) == [1]


@pytest.mark.parametrize(("arr_delay", "dep_delay"), [(-120, 1440), (1440, -120)])
def test_delays_on_the_range_bounds_are_kept(run_rows, arr_delay, dep_delay):
    # Given delays exactly at the valid bounds
    features, summary = run_rows([asa_row(ArrDelay=arr_delay, DepDelay=dep_delay)])
    # Then
    assert summary.rows_written == 1
    assert features.iloc[0]["arrdelay"] == arr_delay


def test_missing_delay_is_kept_as_null_not_zero(run_rows):
    # Given a flight without reported delays
    features, summary = run_rows([asa_row(ArrDelay=None, DepDelay=None)])
    # Then
    assert summary.rows_written == 1
    assert features["depdelay"].isna().all()
    assert features["arrdelay"].isna().all()


def test_first_matching_reason_wins_so_each_row_counts_once(run_rows):
    # Given a cancelled flight that also has an invalid distance
    _, summary = run_rows([asa_row(Cancelled=1, Distance=0)])
    # Then
    assert summary.dropped["cancelled"] == 1
    assert summary.dropped["invalid_distance"] == 0
    assert summary.rows_read == 1


def test_summary_lists_every_reason_even_when_zero(run_rows):
    # Given only valid rows
    _, summary = run_rows([asa_row()])
    # Then
    assert set(summary.dropped) == {
        "missing_key_fields", "invalid_date", "cancelled", "diverted", "invalid_time", "invalid_distance",
        "invalid_delay", "duplicate",
    }  # fmt: skip
    assert set(summary.dropped.values()) == {0}


def test_codes_are_trimmed_and_upper_cased(run_rows):
    # Given lower-case codes with blanks
    features, _ = run_rows([asa_row(UniqueCarrier=" wn", Origin="sfo ", Dest=" lax", TailNum=" n123ab ")])
    # Then
    row = features.iloc[0]
    assert (row["carrier"], row["origin"], row["dest"], row["tail_number"]) == ("WN", "SFO", "LAX", "N123AB")


@pytest.mark.parametrize("junk", ["x", "1,000", "12.5.1"])
def test_non_numeric_delay_is_read_as_missing_not_a_crash(run_rows, junk):
    # Given a flight whose reported delays are not numbers (DuckDB must not turn TRY_CAST into a strict cast)
    features, summary = run_rows([asa_row(), asa_row(FlightNum=2, ArrDelay=junk, DepDelay=junk)])
    # Then the run succeeds and the junk is missing, never 0
    assert summary.rows_written == 2
    junk_row = features[features["flight_number"] == 2].iloc[0]
    assert junk_row[["arrdelay", "depdelay"]].isna().all()


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2008, 2, 29, "2008-02-29"),
        (2000, 2, 29, "2000-02-29"),
        (2007, 12, 31, "2007-12-31"),
        (2007, " 07 ", "05", "2007-07-05"),
    ],
)
def test_date_parts_that_are_whole_numbers_of_a_real_day_give_that_date(run_rows, year, month, day, expected):
    # Given a row whose date parts are written in different ways
    rows = [asa_row(Year=year, Month=month, DayofMonth=day)]
    # When
    features, summary = run_rows(rows)
    # Then it is kept, on that day
    assert summary.rows_kept == 1
    assert str(features.loc[0, "flight_date"]) == expected
