"""The generator produces what makes real operations hard: time zones, duplicates, delay-driven
cancellations and aircraft swaps (each on small generated data)."""

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from airline_shared.raw_formats import ASA_NULL, is_placeholder_tail

from airline.sample_data import ASA_FILE, SampleDataSummary, generate_sample_data
from airline.sample_data.generate import _simulated_chunks
from airline.sample_data.params import DEFAULT_PARAMS, SampleDataParams

KEY = ["Year", "Month", "DayofMonth", "UniqueCarrier", "FlightNum", "Origin", "Dest", "CRSDepTime"]


def _minutes(hhmm: pd.Series) -> pd.Series:
    return (hhmm // 100) * 60 + hhmm % 100


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[SampleDataSummary, pd.DataFrame]:
    out = tmp_path_factory.mktemp("phenomena")
    summary = generate_sample_data(out, 40_000, "asa", seed=11, months=2)
    frame = pd.read_csv(out / ASA_FILE, na_values=[ASA_NULL], keep_default_na=False, dtype={"TailNum": str})
    return summary, frame


def test_short_westbound_hops_arrive_before_they_depart_on_the_local_clock(generated: tuple) -> None:
    # Given the scheduled local clocks and the scheduled elapsed time of every leg
    _, frame = generated
    dep, arr = _minutes(frame.CRSDepTime), _minutes(frame.CRSArrTime % 2400)
    shift = dep + frame.CRSElapsedTime - arr  # minutes the destination's clock is behind the origin's
    # When the arrival clock reads earlier than the departure clock on a short leg into an earlier time zone
    westbound = frame[(frame.CRSArrTime < frame.CRSDepTime) & shift.isin([60, 120, 180])]
    # Then such legs exist, all short, and none of them crosses midnight on either clock
    assert len(westbound) > 20
    assert (westbound.CRSElapsedTime < 12 * 60).all()
    assert (dep[westbound.index] + westbound.CRSElapsedTime < 1440).all()


def test_scheduled_elapsed_time_matches_the_clocks_up_to_the_time_zones(generated: tuple) -> None:
    # Given every leg, When departure clock + CRSElapsedTime is compared with the arrival clock
    _, frame = generated
    gap = _minutes(frame.CRSDepTime) + frame.CRSElapsedTime - _minutes(frame.CRSArrTime % 2400)
    # Then they differ by whole hours only (the UTC offsets of the two airports)
    assert (gap % 60 == 0).all()
    assert gap.nunique() > 3


def test_some_flights_are_written_twice_identically_and_some_as_a_reexport(generated: tuple) -> None:
    summary, frame = generated
    # Then identical rows exist, and rows sharing a flight key that differ in their arrival
    exact = frame.duplicated(keep=False).sum()
    same_key = frame.duplicated(KEY, keep=False)
    assert exact >= 2
    assert frame[same_key].drop_duplicates().duplicated(KEY).sum() > 0
    assert summary.duplicate_rows == len(frame) - summary.rows > 0
    assert len(frame.drop_duplicates(KEY)) == summary.rows


def test_late_inbound_aircraft_lose_their_next_excursion_more_often(generated: tuple) -> None:
    # Given consecutive scheduled legs of a real tail on one day
    _, frame = generated
    real = frame[~frame.TailNum.fillna("").map(is_placeholder_tail)]
    legs = real.sort_values(["TailNum", "Year", "Month", "DayofMonth", "CRSDepTime"]).reset_index(drop=True)
    prev = legs.shift(1)
    chained = (prev.TailNum == legs.TailNum) & (prev.DayofMonth == legs.DayofMonth) & (prev.Dest == legs.Origin)
    inbound_delay = prev.ArrDelay[chained]
    cancelled = legs.Cancelled[chained] == 1
    # When the cancellation rate after a very late inbound is compared with the one after an on-time inbound
    after_late = cancelled[inbound_delay >= DEFAULT_PARAMS.delay_cancel_minutes].mean()
    after_on_time = cancelled[inbound_delay < 15].mean()
    # Then late arrivals are followed by a cancelled next leg far more often
    assert after_late > 3 * after_on_time


def test_delay_driven_cancellations_are_switched_off_by_their_parameter() -> None:
    params = SampleDataParams(delay_cancel_prob=0.0)
    rows = [r for r, _ in _simulated_chunks(3, date(2007, 1, 1), 1, 20_000, lambda _n: None, params)]
    code_a_default = sum(
        int((r.cols["cancel_code"] == 1).sum())
        for r, _ in _simulated_chunks(3, date(2007, 1, 1), 1, 20_000, lambda _n: None, DEFAULT_PARAMS)
    )
    assert sum(int((r.cols["cancel_code"] == 1).sum()) for r in rows) < code_a_default


def test_a_spare_aircraft_takes_over_the_late_aircrafts_line(tmp_path: Path) -> None:
    # Given one simulated month (rows still carry their line, i.e. the day's flight numbers of one rotation)
    chunks = [r for r, _ in _simulated_chunks(5, date(2007, 1, 1), 1, 30_000, lambda _n: None, DEFAULT_PARAMS)]
    cols = {k: np.concatenate([r.cols[k] for r in chunks]) for k in ("line", "tail", "swapped", "copy")}
    dates = np.concatenate([r.dates for r in chunks])
    first = cols["copy"] == 0
    legs = pd.DataFrame({"day": dates[first], **{k: v[first] for k, v in cols.items()}})
    # When a leg is flown by a swapped-in aircraft
    swapped = legs[legs.swapped]
    # Then swaps happen, and the same line flies that day with more than one tail
    assert len(swapped) > 10
    tails_per_line_day = legs[legs["tail"] >= 0].groupby(["day", "line"])["tail"].nunique()
    swapped_keys = pd.MultiIndex.from_frame(swapped[["day", "line"]])
    assert (tails_per_line_day.reindex(swapped_keys) >= 2).mean() > 0.9
