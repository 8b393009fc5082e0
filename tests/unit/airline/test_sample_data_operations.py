"""The simulated operations behave like an airline's: rotations chain, delays propagate, disruptions happen."""

import numpy as np
import pandas as pd
import pytest
from airline_shared.raw_formats import ASA_NULL, is_placeholder_tail

from airline.sample_data import ASA_FILE, generate_sample_data

CAUSES = ["CarrierDelay", "WeatherDelay", "NASDelay", "SecurityDelay", "LateAircraftDelay"]


def _minutes(hhmm: pd.Series) -> pd.Series:
    return (hhmm // 100) * 60 + hhmm % 100


@pytest.fixture(scope="module")
def flights(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("ops")
    generate_sample_data(out, 20_000, "asa", seed=5, months=2)
    frame = pd.read_csv(out / ASA_FILE, na_values=[ASA_NULL], keep_default_na=False, dtype={"TailNum": str})
    frame["date"] = pd.to_datetime({"year": frame.Year, "month": frame.Month, "day": frame.DayofMonth})
    frame["sched_dep"] = frame.date + pd.to_timedelta(_minutes(frame.CRSDepTime), unit="m")
    overnight = (frame.CRSArrTime < frame.CRSDepTime).astype(int)
    frame["sched_arr"] = frame.date + pd.to_timedelta(_minutes(frame.CRSArrTime) + 1440 * overnight, unit="m")
    return frame


@pytest.fixture(scope="module")
def pairs(flights: pd.DataFrame) -> pd.DataFrame:
    """Consecutive flown legs of the same real tail: `prev_*` is the inbound leg of each row."""
    real = flights[~flights.TailNum.map(is_placeholder_tail) & (flights.Cancelled == 0)]
    legs = real.sort_values(["TailNum", "sched_dep"]).reset_index(drop=True)
    prev = legs.shift(1)
    same_tail = prev.TailNum == legs.TailNum
    frame = legs.assign(
        prev_dest=prev.Dest,
        prev_date=prev.date,
        prev_arr_delay=prev.ArrDelay,
        turnaround=(legs.sched_dep - prev.sched_arr).dt.total_seconds() / 60,
    )
    return frame[same_tail]


def test_most_legs_depart_from_the_previous_legs_destination(pairs: pd.DataFrame) -> None:
    # Given consecutive legs of one aircraft on the same day
    same_day = pairs[pairs.date == pairs.prev_date]
    # When origins are compared with the inbound destinations
    chained = (same_day.Origin == same_day.prev_dest).mean()
    # Then more than 90% chain (the rest are reporting errors)
    assert len(same_day) > 5_000
    assert chained > 0.9


def test_late_inbound_through_short_turnaround_delays_the_departure(pairs: pd.DataFrame) -> None:
    # Given chained legs with known delays
    chained = pairs[(pairs.Origin == pairs.prev_dest) & pairs.prev_arr_delay.notna() & pairs.DepDelay.notna()]
    late_tight = chained[(chained.prev_arr_delay >= 30) & (chained.turnaround < 60)]
    on_time = chained[chained.prev_arr_delay <= 0]
    # Then departures after a late inbound with little slack are much later than after an on-time inbound
    assert len(late_tight) > 100
    assert late_tight.DepDelay.mean() > on_time.DepDelay.mean() + 20
    assert late_tight.DepDelay.mean() > 3 * max(on_time.DepDelay.mean(), 1.0)


def test_departure_delay_absorbs_only_the_turnaround_slack(pairs: pd.DataFrame) -> None:
    # Given chained legs (the simulated minimum ground time is 20 minutes or more for every carrier; a hurried
    # turn of a late aircraft saves at most `quick_turn_minutes` = 8 of it)
    chained = pairs[(pairs.Origin == pairs.prev_dest) & pairs.prev_arr_delay.notna() & pairs.DepDelay.notna()]
    slack = chained.turnaround - 12
    # Then the departure delay is at least what the slack could not absorb, for nearly every leg
    assert (chained.DepDelay >= chained.prev_arr_delay - slack).mean() > 0.97


def test_departure_delay_correlates_with_inbound_delay_on_short_turnarounds(pairs: pd.DataFrame) -> None:
    chained = pairs[(pairs.Origin == pairs.prev_dest) & pairs.prev_arr_delay.notna() & pairs.DepDelay.notna()]
    short = chained[chained.turnaround < 60]
    assert np.corrcoef(short.prev_arr_delay, short.DepDelay)[0, 1] > 0.5


def test_turnarounds_vary_from_tight_to_long(pairs: pd.DataFrame) -> None:
    same_day = pairs[(pairs.date == pairs.prev_date) & (pairs.Origin == pairs.prev_dest)]
    tight = same_day.turnaround.between(25, 45).mean()
    assert 0.1 < tight < 0.6
    assert same_day.turnaround.between(45, 120).mean() > 0.4


def test_cascade_label_has_a_realistic_positive_rate(pairs: pd.DataFrame, flights: pd.DataFrame) -> None:
    # Given each flown leg and the next leg of its aircraft (the features contract's cascade definition)
    nxt = pairs[(pairs.Origin == pairs.prev_dest) & pairs.turnaround.between(0, 1440)]
    cascades = ((nxt.prev_arr_delay >= 15) & (nxt.DepDelay >= 15)).sum()
    # Then roughly 5-15% of the flights are cascade positives
    assert 0.04 < cascades / len(flights) < 0.16


def test_cancellations_and_diversions_happen_at_realistic_rates(flights: pd.DataFrame) -> None:
    assert 0.005 < flights.Cancelled.mean() < 0.04
    assert 0.0005 < flights.Diverted.mean() < 0.01
    assert set(flights.CancellationCode.dropna()) <= {"A", "B", "C", "D"}
    assert flights.loc[flights.Cancelled == 1, "CancellationCode"].notna().all()


def test_diverted_flights_have_no_arrival(flights: pd.DataFrame) -> None:
    diverted = flights[flights.Diverted == 1]
    assert diverted.ArrDelay.isna().all()
    assert diverted.DepDelay.notna().all()


def test_some_legs_arrive_after_local_midnight(flights: pd.DataFrame) -> None:
    # Given scheduled local clock times, Then some arrivals wrap past midnight (CRSArrTime < CRSDepTime)
    assert (flights.CRSArrTime < flights.CRSDepTime).sum() > 50


def test_times_are_hhmm_clock_values(flights: pd.DataFrame) -> None:
    for column in ("CRSDepTime", "CRSArrTime", "DepTime", "ArrTime"):
        values = flights[column].dropna()
        assert values.between(0, 2400).all()
        assert (values % 100 < 60).all()


def test_delays_and_elapsed_times_are_consistent(flights: pd.DataFrame) -> None:
    flown = flights[(flights.Cancelled == 0) & (flights.Diverted == 0)]
    assert (flown.ActualElapsedTime - flown.CRSElapsedTime == flown.ArrDelay - flown.DepDelay).all()
    assert (flown.TaxiOut + flown.AirTime + flown.TaxiIn == flown.ActualElapsedTime).all()
    departed = (_minutes(flown.DepTime.mod(2400)) - _minutes(flown.CRSDepTime) - flown.DepDelay) % 1440
    assert (departed == 0).all()


def test_delay_causes_are_filled_only_for_late_arrivals_and_sum_to_the_delay(flights: pd.DataFrame) -> None:
    late = flights[flights.ArrDelay >= 15]
    rest = flights[~(flights.ArrDelay >= 15)]
    assert late[CAUSES].notna().all().all()
    assert (late[CAUSES].sum(axis=1) == late.ArrDelay).all()
    assert rest[CAUSES].isna().all().all()
    assert (late.LateAircraftDelay > 0).mean() > 0.15  # swaps, cancellations and padding stop some propagation


def test_carriers_differ_in_punctuality(flights: pd.DataFrame) -> None:
    late_rate = (flights.ArrDelay >= 15).groupby(flights.UniqueCarrier).mean()
    assert flights.UniqueCarrier.nunique() >= 10
    assert late_rate.max() - late_rate.min() > 0.1


def test_a_few_tail_numbers_are_placeholders(flights: pd.DataFrame) -> None:
    placeholder = flights.TailNum.fillna("").map(is_placeholder_tail)
    assert 0 < placeholder.mean() < 0.03
    assert flights.TailNum[~placeholder].str.match(r"^N\d{3,5}[A-Z]{0,2}$").all()


def test_distances_are_positive_and_airport_codes_are_three_letters(flights: pd.DataFrame) -> None:
    assert (flights.Distance > 50).all()
    assert pd.concat([flights.Origin, flights.Dest]).str.fullmatch(r"[A-Z]{3}").all()
    assert (flights.Origin != flights.Dest).all()
