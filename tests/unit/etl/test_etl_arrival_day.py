"""Scheduled arrival day (contract version 2): DuckDB, the main cases also on Spark.

Times are local clocks: the arrival is flight date + CRSArrTime + k days, k from CRSElapsedTime when it is
1..1440 minutes (k = round((dep + elapsed - arr) / 1440)), otherwise 1 when CRSArrTime < CRSDepTime.
"""

from typing import Any

import pandas as pd
import pytest
from etl_rows import leg


def is_null(value: Any) -> bool:
    return bool(pd.isna(value))


def atl_bhm_and_back(elapsed: Any) -> list[dict[str, Any]]:
    """ATL 08:00 -> BHM 07:55 local (55 minutes westbound), 20 late; BHM 08:40 -> ATL, 30 late."""
    return [
        leg(10, 800, 755, "ATL", "BHM", CRSElapsedTime=elapsed, ArrDelay=20),
        leg(10, 840, 1035, "BHM", "ATL", CRSElapsedTime=55, DepDelay=30),
    ]


def test_westbound_hop_arriving_before_it_departs_on_the_clock_lands_the_same_day(run_each_engine):
    # Given a 55-minute hop that arrives at 07:55 local after leaving at 08:00, and the aircraft's next leg
    # When
    features, _ = run_each_engine(atl_bhm_and_back(55))
    # Then the hop lands the same day: 45 minutes turnaround, and its late arrival cascades
    hop, back = features.iloc[0], features.iloc[1]
    assert hop["next_turnaroundminutes"] == 45
    assert bool(hop["cascade"])
    assert back["turnaroundminutes"] == 45
    assert back["prevflightarrdelay"] == 20


@pytest.mark.parametrize("elapsed", [None, 0, 1441, -55, "x"])
def test_without_a_usable_elapsed_time_an_earlier_arrival_clock_is_the_next_day(run_files, elapsed):
    # Given the same hop without CRSElapsedTime, or with one outside 1..1440 minutes
    # When
    features, _ = run_files(atl_bhm_and_back(elapsed))
    # Then the old rule applies: it arrives the next morning, so the 08:40 leg cannot follow it
    hop, back = features.iloc[0], features.iloc[1]
    assert is_null(hop["next_turnaroundminutes"])
    assert not hop["cascade"]
    assert is_null(back["turnaroundminutes"])


def test_hop_just_after_midnight_can_arrive_the_previous_day(run_files):
    # Given ATL 00:10 -> BHM 23:40 local (30 minutes westbound: the clock shows the previous day), 20 late,
    # and BHM 00:30 -> ATL the same flight date
    rows = [
        leg(10, 10, 2340, "ATL", "BHM", CRSElapsedTime=30, ArrDelay=20),
        leg(10, 30, 230, "BHM", "ATL", CRSElapsedTime=60, DepDelay=20),
    ]
    # When
    features, _ = run_files(rows)
    # Then the hop landed 20 minutes before midnight: 50 minutes turnaround
    assert features.iloc[0]["next_turnaroundminutes"] == 50
    assert features.iloc[1]["turnaroundminutes"] == 50
    assert bool(features.iloc[0]["cascade"])


def test_eastbound_red_eye_arrives_the_next_morning(run_files):
    # Given LAX 22:00 -> JFK 06:10 local (310 minutes), then JFK 07:00 -> BOS the next day
    rows = [
        leg(10, 2200, 610, "LAX", "JFK", CRSElapsedTime=310, ArrDelay=15),
        leg(11, 700, 815, "JFK", "BOS", CRSElapsedTime=75, DepDelay=15),
    ]
    # When
    features, _ = run_files(rows)
    # Then
    assert features.iloc[1]["turnaroundminutes"] == 50
    assert bool(features.iloc[0]["cascade"])


def test_elapsed_time_decides_over_the_clock_order(run_files):
    # Given a leg whose arrival clock (10:00) is later than its departure (09:00) but which flies 1,380
    # minutes (23 hours; the clocks differ by 1 hour), then a leg leaving 10:30 the next day
    rows = [
        leg(10, 900, 1000, "AAA", "BBB", CRSElapsedTime=1380),
        leg(11, 1030, 1130, "BBB", "CCC", CRSElapsedTime=60),
    ]
    # When
    features, _ = run_files(rows)
    # Then it arrives the next day: 30 minutes turnaround
    assert features.iloc[1]["turnaroundminutes"] == 30
