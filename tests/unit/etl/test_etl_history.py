"""90-day route / carrier averages: only strictly earlier days within 90 days count (no leakage)."""

from datetime import date, timedelta

import pandas as pd
from etl_rows import asa_row


def on(day: date, **extra) -> dict:
    """A route AAA->BBB flight of carrier WN on `day` (placeholder tail: no rotation)."""
    return asa_row(Year=day.year, Month=day.month, DayofMonth=day.day, TailNum="000000", **extra)


TARGET = date(2008, 6, 1)


def target_row(features: pd.DataFrame) -> pd.Series:
    return features[features["flight_date"] == TARGET].iloc[0]


def test_average_uses_only_days_before_the_flight(run_rows):
    # Given history 1 and 2 days before, a flight the same day and one the next day
    rows = [
        on(TARGET - timedelta(days=2), ArrDelay=10),
        on(TARGET - timedelta(days=1), ArrDelay=20),
        on(TARGET, ArrDelay=1000, FlightNum=9),
        on(TARGET + timedelta(days=1), ArrDelay=900),
        on(TARGET, ArrDelay=0),
    ]
    # When
    features, _ = run_rows(rows)
    # Then: 15 = mean(10, 20); the same day (1000, 0) and later (900) are ignored
    row = target_row(features)
    assert row["routeavgarrdelay"] == 15
    assert row["carrieravgarrdelay"] == 15


def test_window_is_exactly_the_90_previous_days(run_rows):
    # Given flights 90 and 91 days before
    rows = [
        on(TARGET - timedelta(days=90), ArrDelay=30),
        on(TARGET - timedelta(days=91), ArrDelay=500),
        on(TARGET, ArrDelay=0),
    ]
    # When
    features, _ = run_rows(rows)
    # Then
    assert target_row(features)["routeavgarrdelay"] == 30


def test_no_history_gives_null(run_rows):
    # Given the first flight of a route ever
    features, _ = run_rows([on(TARGET, ArrDelay=5)])
    # Then
    assert pd.isna(target_row(features)["routeavgarrdelay"])
    assert pd.isna(target_row(features)["carrieravgarrdelay"])


def test_route_and_carrier_are_separate_groups(run_rows):
    # Given earlier flights on another route (same carrier) and by another carrier (same route)
    rows = [
        on(TARGET - timedelta(days=3), ArrDelay=40, Dest="CCC"),
        on(TARGET - timedelta(days=3), ArrDelay=10, UniqueCarrier="AA"),
        on(TARGET, ArrDelay=0),
    ]
    # When
    features, _ = run_rows(rows)
    # Then
    row = target_row(features)
    assert row["routeavgarrdelay"] == 10
    assert row["carrieravgarrdelay"] == 40


def test_dropped_flights_do_not_feed_the_history(run_rows):
    # Given an earlier cancelled flight and an earlier flight with an invalid delay
    rows = [
        on(TARGET - timedelta(days=1), ArrDelay=50, Cancelled=1),
        on(TARGET - timedelta(days=1), ArrDelay=1500),
        on(TARGET - timedelta(days=1), ArrDelay=6),
        on(TARGET, ArrDelay=0),
    ]
    # When
    features, _ = run_rows(rows)
    # Then
    assert target_row(features)["routeavgarrdelay"] == 6


def test_history_days_without_arrival_delay_give_null_not_zero(run_rows):
    # Given an earlier flight whose ArrDelay is missing
    rows = [on(TARGET - timedelta(days=1), ArrDelay=None), on(TARGET, ArrDelay=0)]
    # When
    features, _ = run_rows(rows)
    # Then
    assert pd.isna(target_row(features)["routeavgarrdelay"])
