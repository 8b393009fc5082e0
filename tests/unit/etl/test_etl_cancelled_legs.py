"""Cancelled legs in the chain (contract version 2): DuckDB, the main cases also on Spark.

A cancelled leg with a real tail and valid scheduled times keeps its place in the tail's rotation but never
gets a features row: it is no valid previous leg, it may be the next valid leg (a cascade when the arrival
was late), and leg_number counts it.
"""

from typing import Any

import pandas as pd
from etl_rows import leg


def is_null(value: Any) -> bool:
    return bool(pd.isna(value))


def cancelled(day: int, dep: int, arr: int, origin: str, dest: str, **extra: Any) -> dict[str, Any]:
    """A cancelled leg of tail N100 (no delays reported, as in the real files)."""
    return leg(day, dep, arr, origin, dest, Cancelled=1, DepDelay=None, ArrDelay=None, **extra)


def test_late_arrival_followed_by_a_cancelled_next_leg_is_a_cascade(run_each_engine):
    # Given A->B arriving 20 minutes late at 10:00 and the aircraft's next leg B->C at 10:30 cancelled
    rows = [leg(10, 800, 1000, "AAA", "BBB", ArrDelay=20), cancelled(10, 1030, 1130, "BBB", "CCC")]
    # When
    features, summary = run_each_engine(rows)
    # Then the late arrival is labelled a cascade; the cancelled leg is counted and gets no row
    assert summary.dropped["cancelled"] == 1
    assert summary.rows_written == 1
    first = features.iloc[0]
    assert bool(first["cascade"])
    assert first["next_turnaroundminutes"] == 30


def test_on_time_arrival_before_a_cancelled_next_leg_is_no_cascade(run_files):
    # Given an arrival 14 minutes late and a cancelled next leg
    rows = [leg(10, 800, 1000, "AAA", "BBB", ArrDelay=14), cancelled(10, 1030, 1130, "BBB", "CCC")]
    # When
    features, _ = run_files(rows)
    # Then
    assert not features.iloc[0]["cascade"]
    assert features.iloc[0]["next_turnaroundminutes"] == 30


def test_chain_does_not_jump_over_a_cancelled_next_leg(run_files):
    # Given A->B late, the next leg B->X cancelled, then B->C leaving late at 12:00
    rows = [
        leg(10, 800, 1000, "AAA", "BBB", ArrDelay=20),
        cancelled(10, 1030, 1130, "BBB", "XXX"),
        leg(10, 1200, 1400, "BBB", "CCC", DepDelay=25),
    ]
    # When
    features, _ = run_files(rows)
    # Then A->B's next leg is the cancelled one (turnaround 30, not 120), and B->C has no valid previous leg
    assert list(features["dest"]) == ["BBB", "CCC"]
    assert features.iloc[0]["next_turnaroundminutes"] == 30
    assert bool(features.iloc[0]["cascade"])
    assert is_null(features.iloc[1]["prevflightarrdelay"])
    assert is_null(features.iloc[1]["turnaroundminutes"])


def test_cancelled_previous_leg_is_not_a_valid_previous_leg(run_each_engine):
    # Given a cancelled A->B arriving 10:00, then B->C leaving 11:00
    rows = [cancelled(10, 800, 1000, "AAA", "BBB"), leg(10, 1100, 1300, "BBB", "CCC")]
    # When
    features, _ = run_each_engine(rows)
    # Then B->C has no previous-leg features, and it is the tail's second leg of the day
    assert len(features) == 1
    second = features.iloc[0]
    assert is_null(second["prevflightarrdelay"])
    assert is_null(second["turnaroundminutes"])
    assert second["leg_number"] == 2


def test_cancelled_next_leg_from_another_airport_is_not_valid(run_files):
    # Given A->B late, then a cancelled leg from X (not B), then B->C late
    rows = [
        leg(10, 800, 1000, "AAA", "BBB", ArrDelay=60),
        cancelled(10, 1030, 1130, "XXX", "YYY"),
        leg(10, 1200, 1400, "BBB", "CCC", DepDelay=60),
    ]
    # When
    features, _ = run_files(rows)
    # Then the next leg (the cancelled one) is not valid: no cascade, no next turnaround
    assert not features.iloc[0]["cascade"]
    assert is_null(features.iloc[0]["next_turnaroundminutes"])


def test_leg_number_counts_cancelled_legs(run_each_engine):
    # Given a kept leg, a cancelled leg and a kept leg of one tail on one day, and a leg the next day
    rows = [
        leg(10, 800, 1000, "AAA", "BBB"),
        cancelled(10, 1030, 1130, "BBB", "CCC"),
        leg(10, 1200, 1300, "CCC", "DDD"),
        leg(11, 800, 900, "DDD", "AAA"),
    ]
    # When
    features, _ = run_each_engine(rows)
    # Then the scheduled legs of the day are numbered, the cancelled one included
    assert list(features["leg_number"]) == [1, 3, 1]


def test_cancelled_leg_without_valid_scheduled_times_takes_no_place(run_files):
    # Given a cancelled leg whose scheduled departure is not a time of day, between two chained legs
    rows = [
        leg(10, 800, 1000, "AAA", "BBB", ArrDelay=20),
        cancelled(10, 2500, 1130, "BBB", "CCC"),
        leg(10, 1100, 1300, "BBB", "CCC", DepDelay=30),
    ]
    # When
    features, summary = run_files(rows)
    # Then it is counted as cancelled and the two kept legs chain as if it were not there
    assert summary.dropped["cancelled"] == 1
    assert list(features["leg_number"]) == [1, 2]
    assert features.iloc[1]["turnaroundminutes"] == 60
    assert bool(features.iloc[0]["cascade"])


def test_cancelled_leg_of_a_placeholder_tail_takes_no_place(run_files):
    # Given a cancelled leg flown by a placeholder tail
    rows = [leg(10, 800, 1000, "AAA", "BBB"), cancelled(10, 1030, 1130, "BBB", "CCC", TailNum="000000")]
    # When
    features, summary = run_files(rows)
    # Then it has no place in N100's rotation
    assert summary.dropped["cancelled"] == 1
    assert is_null(features.iloc[0]["next_turnaroundminutes"])


def test_month_of_cancelled_legs_only_has_no_partition(run_files):
    # Given a kept leg on Jan 31 and a cancelled leg on Feb 1 (its month has no kept flight)
    rows = [leg(31, 2200, 2330, "AAA", "BBB", ArrDelay=30), cancelled(1, 30, 130, "BBB", "CCC", Month=2)]
    # When
    features, summary = run_files(rows)
    # Then only January is written; its leg's next leg is the cancelled one
    assert summary.partitions == ["year=2008/month=01"]
    assert summary.rows_written == 1
    assert features.iloc[0]["next_turnaroundminutes"] == 60
    assert bool(features.iloc[0]["cascade"])


def test_diverted_leg_stays_out_of_the_chain(run_files):
    # Given A->B late, a diverted B->C, then C->D
    rows = [
        leg(10, 800, 1000, "AAA", "BBB", ArrDelay=30),
        leg(10, 1100, 1300, "BBB", "CCC", Diverted=1),
        leg(10, 1400, 1500, "CCC", "DDD"),
    ]
    # When
    features, summary = run_files(rows)
    # Then the diverted leg is neither a next leg nor counted in leg_number
    assert summary.dropped["diverted"] == 1
    assert not features.iloc[0]["cascade"]
    assert list(features["leg_number"]) == [1, 2]
    assert is_null(features.iloc[1]["turnaroundminutes"])
