"""Rotation rules: previous / next valid leg, turnarounds, cascade label, leg numbers (DuckDB engine).

Contract version 2: test_etl_cancelled_legs.py, test_etl_arrival_day.py, test_etl_duplicates.py.
"""

from typing import Any

import pandas as pd
import pytest
from etl_rows import leg


def is_null(value: Any) -> bool:
    return bool(pd.isna(value))


def test_turnaround_is_minutes_between_scheduled_arrival_and_next_departure(run_rows):
    # Given A->B arriving 10:00 and B->C leaving 11:30 the same day
    rows = [leg(10, 800, 1000, "AAA", "BBB", ArrDelay=12), leg(10, 1130, 1300, "BBB", "CCC")]
    # When
    features, _ = run_rows(rows)
    # Then: clock minutes, not HHMM subtraction (1130 - 1000 = 130)
    second = features.iloc[1]
    assert second["turnaroundminutes"] == 90
    assert second["prevflightarrdelay"] == 12
    assert features.iloc[0]["next_turnaroundminutes"] == 90


def test_overnight_arrival_counts_into_next_day(run_rows):
    # Given a leg departing 23:00 and arriving 01:00 (CRSArrTime < CRSDepTime), next leg 02:00 next day
    rows = [leg(10, 2300, 100, "AAA", "BBB"), leg(11, 200, 400, "BBB", "CCC")]
    # When
    features, _ = run_rows(rows)
    # Then
    assert features.iloc[1]["turnaroundminutes"] == 60


def test_2400_means_midnight_at_the_end_of_the_day(run_rows):
    # Given arrival at 2400 and a departure at 00:30 the next day
    rows = [leg(10, 2200, 2400, "AAA", "BBB"), leg(11, 30, 200, "BBB", "CCC")]
    # When
    features, summary = run_rows(rows)
    # Then
    assert summary.dropped["invalid_time"] == 0
    assert features.iloc[1]["turnaroundminutes"] == 30


def test_broken_chain_origin_differs_from_previous_dest_gives_no_previous_leg(run_rows):
    # Given A->B then C->D (the aircraft "teleports")
    rows = [leg(10, 800, 1000, "AAA", "BBB", ArrDelay=30), leg(10, 1100, 1300, "CCC", "DDD", DepDelay=40)]
    # When
    features, _ = run_rows(rows)
    # Then
    assert is_null(features.iloc[1]["prevflightarrdelay"])
    assert is_null(features.iloc[1]["turnaroundminutes"])
    assert not features.iloc[0]["cascade"]
    assert is_null(features.iloc[0]["next_turnaroundminutes"])


@pytest.mark.parametrize(("next_day", "next_dep", "valid"), [(11, 1000, True), (11, 1001, False)])
def test_gap_of_1440_minutes_is_the_last_valid_one(run_rows, next_day, next_dep, valid):
    # Given arrival 10:00 on the 10th and the next departure 1440 or 1441 minutes later
    rows = [leg(10, 800, 1000, "AAA", "BBB", ArrDelay=5), leg(next_day, next_dep, 1200, "BBB", "CCC")]
    # When
    features, _ = run_rows(rows)
    # Then
    assert is_null(features.iloc[1]["turnaroundminutes"]) is not valid


def test_departure_before_previous_arrival_is_not_a_valid_chain(run_rows):
    # Given a leg scheduled to leave before the previous one lands
    rows = [leg(10, 800, 1000, "AAA", "BBB"), leg(10, 930, 1100, "BBB", "CCC")]
    # When
    features, _ = run_rows(rows)
    # Then
    assert is_null(features.iloc[1]["turnaroundminutes"])


def test_previous_leg_without_arrival_delay_gives_null_not_zero(run_rows):
    # Given a valid previous leg whose ArrDelay is missing
    rows = [leg(10, 800, 1000, "AAA", "BBB", ArrDelay=None), leg(10, 1100, 1300, "BBB", "CCC")]
    # When
    features, _ = run_rows(rows)
    # Then
    assert is_null(features.iloc[1]["prevflightarrdelay"])
    assert features.iloc[1]["turnaroundminutes"] == 60


def test_first_leg_has_no_previous_leg_features(run_rows):
    # Given a single leg
    features, _ = run_rows([leg(10, 800, 1000, "AAA", "BBB")])
    # Then
    assert is_null(features.iloc[0]["prevflightarrdelay"])
    assert is_null(features.iloc[0]["turnaroundminutes"])
    assert not features.iloc[0]["cascade"]


@pytest.mark.parametrize("tail", ["000000", "0", "", "NA", "UNKNOW", "unknow", " 000 ", "0-0", None])
def test_placeholder_tail_gets_no_rotation_features(run_rows, tail):
    # Given a perfect chain flown by a placeholder tail
    rows = [
        leg(10, 800, 1000, "AAA", "BBB", TailNum=tail, ArrDelay=30),
        leg(10, 1100, 1300, "BBB", "CCC", TailNum=tail, DepDelay=30),
    ]
    # When
    features, summary = run_rows(rows)
    # Then: the flights are kept, but nothing links them
    assert summary.rows_written == 2
    assert features["tail_number"].isna().all()
    assert features["turnaroundminutes"].isna().all()
    assert features["leg_number"].isna().all()
    assert not features["cascade"].any()


def test_diverted_leg_is_kept_out_of_features_and_chain(run_rows):
    # Given A->B, a diverted B->C, then C->D
    rows = [
        leg(10, 800, 1000, "AAA", "BBB"),
        leg(10, 1100, 1300, "BBB", "CCC", Diverted=1),
        leg(10, 1400, 1500, "CCC", "DDD"),
    ]
    # When
    features, summary = run_rows(rows)
    # Then: C->D's previous kept leg is A->B, which ends at B: not valid
    assert summary.dropped["diverted"] == 1
    assert len(features) == 2
    assert is_null(features.iloc[1]["turnaroundminutes"])


@pytest.mark.parametrize(
    ("arr_delay", "next_dep_delay", "expected"),
    [(15, 15, True), (14, 60, False), (60, 14, False), (None, 60, False), (60, None, False)],
)
def test_cascade_needs_late_arrival_and_late_next_departure(run_rows, arr_delay, next_dep_delay, expected):
    # Given a valid two-leg chain
    rows = [
        leg(10, 800, 1000, "AAA", "BBB", ArrDelay=arr_delay),
        leg(10, 1100, 1300, "BBB", "CCC", DepDelay=next_dep_delay),
    ]
    # When
    features, _ = run_rows(rows)
    # Then
    assert bool(features.iloc[0]["cascade"]) is expected
    assert not features.iloc[1]["cascade"]


def test_cascade_is_false_when_the_next_leg_is_not_valid(run_rows):
    # Given a late arrival followed by a late departure more than 1440 minutes later
    rows = [leg(10, 800, 1000, "AAA", "BBB", ArrDelay=60), leg(12, 800, 1000, "BBB", "CCC", DepDelay=60)]
    # When
    features, _ = run_rows(rows)
    # Then
    assert not features.iloc[0]["cascade"]


def test_next_leg_is_the_immediately_following_kept_leg_only(run_rows):
    # Given A->B late, then B->C on time, then B->D late (not the next leg)
    rows = [
        leg(10, 800, 1000, "AAA", "BBB", ArrDelay=60),
        leg(10, 1100, 1200, "BBB", "CCC", DepDelay=0),
        leg(10, 1300, 1400, "BBB", "DDD", DepDelay=60),
    ]
    # When
    features, _ = run_rows(rows)
    # Then
    assert not features.iloc[0]["cascade"]


def test_leg_number_counts_the_tails_legs_of_the_day(run_rows):
    # Given three legs on the 10th and one on the 11th
    rows = [
        leg(10, 1300, 1400, "CCC", "DDD"),
        leg(10, 800, 1000, "AAA", "BBB"),
        leg(10, 1100, 1200, "BBB", "CCC"),
        leg(11, 700, 800, "DDD", "AAA"),
    ]
    # When
    features, _ = run_rows(rows)
    # Then
    assert list(features["leg_number"]) == [1, 2, 3, 1]
    assert list(features["dep_hour"]) == [8, 11, 13, 7]


def test_day_of_week_is_iso_from_the_date(run_rows):
    # Given 2008-01-07 (a Monday) and 2008-01-13 (a Sunday), whatever DayOfWeek says
    rows = [leg(7, 800, 900, "AAA", "BBB", DayOfWeek=3), leg(13, 800, 900, "AAA", "BBB", TailNum="N2")]
    # When
    features, _ = run_rows(rows)
    # Then
    assert list(features["day_of_week"]) == [1, 7]


def test_shuffled_input_gives_identical_features(run_rows):
    # Given a rotation with a tie (two legs of one tail scheduled at the same minute)
    rows = [
        leg(10, 800, 1000, "AAA", "BBB", ArrDelay=20, FlightNum=7),
        leg(10, 800, 1000, "AAA", "BBB", ArrDelay=40, FlightNum=3),
        leg(10, 1100, 1300, "BBB", "CCC", DepDelay=20),
        leg(11, 900, 1100, "CCC", "AAA", DepDelay=50),
        leg(10, 900, 1000, "AAA", "BBB", TailNum="N2"),
    ]
    # When
    reference, _ = run_rows(rows)
    shuffled = [run_rows(rows, shuffle_seed=seed)[0] for seed in (1, 2, 3)]
    # Then
    for frame in shuffled:
        assert frame.equals(reference)


def test_ties_are_broken_by_flight_number(run_rows):
    # Given two legs of one tail at the same scheduled minute, flight 7 listed before flight 3
    rows = [
        leg(10, 800, 1000, "AAA", "BBB", FlightNum=7),
        leg(10, 800, 1000, "AAA", "BBB", FlightNum=3),
    ]
    # When
    features, _ = run_rows(rows)
    # Then: flight 3 is leg 1, flight 7 is leg 2
    by_flight = features.set_index("flight_number")["leg_number"].to_dict()
    assert by_flight == {3: 1, 7: 2}
