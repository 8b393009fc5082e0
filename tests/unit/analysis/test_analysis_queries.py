"""Each library query on a hand-made features table; expected values are worked out by hand in the test."""

import datetime as dt

import pytest

from airline.analysis import run_query

JAN = dt.date(2024, 1, 10)
FEB = dt.date(2024, 2, 10)


def test_ontime_by_carrier_month_counts_arrivals_under_15_minutes_per_carrier_and_month(features_dir_from, flight):
    # Given AA in January: arrival delays 0, 10, 15, 35 and one without a recorded arrival (diverted),
    # AA in February: 60; DL in January: -5, 5, 20
    rows = [flight(carrier="AA", flight_date=JAN, arrdelay=d) for d in (0.0, 10.0, 15.0, 35.0, None)]
    rows += [flight(carrier="AA", flight_date=FEB, arrdelay=60.0)]
    rows += [flight(carrier="DL", flight_date=JAN, arrdelay=d) for d in (-5.0, 5.0, 20.0)]

    # When
    result = run_query("ontime_by_carrier_month", features_dir_from(rows)).to_pylist()

    # Then on-time = arrdelay < 15 among recorded arrivals (15 is late), mean over recorded arrivals
    assert result == [
        {"carrier": "AA", "year": 2024, "month": 1, "flights": 5, "arrivals": 4, "ontime_rate": 0.5, "mean_arrdelay": 15.0},
        {"carrier": "AA", "year": 2024, "month": 2, "flights": 1, "arrivals": 1, "ontime_rate": 0.0, "mean_arrdelay": 60.0},
        {"carrier": "DL", "year": 2024, "month": 1, "flights": 3, "arrivals": 3, "ontime_rate": 0.6667, "mean_arrdelay": 6.67},
    ]  # fmt: skip


def test_ontime_by_carrier_ranks_best_on_time_rate_first(features_dir_from, flight):
    # Given AA 1 of 2 on time (mean 10), DL 2 of 2 on time (mean 2.5)
    rows = [flight(carrier="AA", arrdelay=d) for d in (0.0, 20.0)]
    rows += [flight(carrier="DL", arrdelay=d) for d in (0.0, 5.0)]

    # When
    result = run_query("ontime_by_carrier", features_dir_from(rows)).to_pylist()

    # Then
    assert [(r["carrier"], r["ontime_rate"], r["mean_arrdelay"]) for r in result] == [
        ("DL", 1.0, 2.5),
        ("AA", 0.5, 10.0),
    ]


def test_ontime_by_month_aggregates_all_carriers_with_cascade_rate(features_dir_from, flight):
    # Given January: AA on time + DL 30 late with a cascade; February: one flight 10 late, no cascade
    rows = [
        flight(carrier="AA", flight_date=JAN, arrdelay=0.0),
        flight(carrier="DL", flight_date=JAN, arrdelay=30.0, cascade=True),
        flight(carrier="DL", flight_date=FEB, arrdelay=10.0),
    ]

    # When
    result = run_query("ontime_by_month", features_dir_from(rows)).to_pylist()

    # Then
    assert result == [
        {"year": 2024, "month": 1, "flights": 2, "arrivals": 2, "ontime_rate": 0.5, "mean_arrdelay": 15.0, "cascade_rate": 0.5},
        {"year": 2024, "month": 2, "flights": 1, "arrivals": 1, "ontime_rate": 1.0, "mean_arrdelay": 10.0, "cascade_rate": 0.0},
    ]  # fmt: skip


def test_worst_routes_keeps_routes_with_at_least_50_recorded_arrivals(features_dir_from, flight):
    # Given ORD-LGA: exactly 50 flights 30 late; ATL-DFW: 60 flights, 10 late;
    # SFO-LAX: 49 flights 100 late (too few); JFK-BOS: 49 recorded at 90 + 10 without arrival delay (too few)
    rows = [flight(origin="ORD", dest="LGA", arrdelay=30.0) for _ in range(50)]
    rows += [flight(origin="ATL", dest="DFW", arrdelay=10.0) for _ in range(60)]
    rows += [flight(origin="SFO", dest="LAX", arrdelay=100.0) for _ in range(49)]
    rows += [flight(origin="JFK", dest="BOS", arrdelay=90.0) for _ in range(49)]
    rows += [flight(origin="JFK", dest="BOS", arrdelay=None) for _ in range(10)]

    # When
    result = run_query("worst_routes", features_dir_from(rows)).to_pylist()

    # Then
    assert result == [
        {"origin": "ORD", "dest": "LGA", "flights": 50, "mean_arrdelay": 30.0, "ontime_rate": 0.0},
        {"origin": "ATL", "dest": "DFW", "flights": 60, "mean_arrdelay": 10.0, "ontime_rate": 1.0},
    ]


def test_worst_routes_returns_the_top_20_by_mean_delay(features_dir_from, flight):
    # Given 22 routes of 50 flights each, route k delayed k minutes
    rows = [flight(origin=f"A{k:02d}", dest="ZZZ", arrdelay=float(k)) for k in range(22) for _ in range(50)]

    # When
    result = run_query("worst_routes", features_dir_from(rows)).to_pylist()

    # Then the two least delayed routes (0 and 1 minutes) are cut
    assert [r["mean_arrdelay"] for r in result] == [float(k) for k in range(21, 1, -1)]


def test_cascade_by_carrier_rates_over_all_flights_and_over_late_arrivals(features_dir_from, flight):
    # Given AA: 20 late cascaded, 20 late not cascaded, 5 on time, 30 late cascaded; DL: two on-time flights
    rows = [
        flight(carrier="AA", arrdelay=20.0, cascade=True),
        flight(carrier="AA", arrdelay=20.0, cascade=False),
        flight(carrier="AA", arrdelay=5.0, cascade=False),
        flight(carrier="AA", arrdelay=30.0, cascade=True),
        flight(carrier="DL", arrdelay=0.0),
        flight(carrier="DL", arrdelay=0.0),
    ]

    # When
    result = run_query("cascade_by_carrier", features_dir_from(rows)).to_pylist()

    # Then AA: 2 of 4 flights, 2 of 3 late arrivals; DL has no late arrival, so no rate of late
    assert result == [
        {"carrier": "AA", "flights": 4, "late_arrivals": 3, "cascades": 2, "cascade_rate": 0.5, "cascade_rate_of_late": 0.6667},
        {"carrier": "DL", "flights": 2, "late_arrivals": 0, "cascades": 0, "cascade_rate": 0.0, "cascade_rate_of_late": None},
    ]  # fmt: skip


def test_cascade_by_airport_groups_by_origin_most_cascades_first(features_dir_from, flight):
    # Given ORD: 3 flights, 1 cascade (of 2 late); ATL: 2 flights, both late and cascaded
    rows = [
        flight(origin="ORD", arrdelay=40.0, cascade=True),
        flight(origin="ORD", arrdelay=40.0),
        flight(origin="ORD", arrdelay=0.0),
        flight(origin="ATL", arrdelay=20.0, cascade=True),
        flight(origin="ATL", arrdelay=25.0, cascade=True),
    ]

    # When
    result = run_query("cascade_by_airport", features_dir_from(rows)).to_pylist()

    # Then
    assert result == [
        {"origin": "ATL", "flights": 2, "late_arrivals": 2, "cascades": 2, "cascade_rate": 1.0, "cascade_rate_of_late": 1.0},
        {"origin": "ORD", "flights": 3, "late_arrivals": 2, "cascades": 1, "cascade_rate": 0.3333, "cascade_rate_of_late": 0.5},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("next_turnaround", "band"),
    [
        (29.0, "<30"),
        (29.9, "<30"),
        (30.0, "30-44"),
        (44.0, "30-44"),
        (45.0, "45-59"),
        (59.5, "45-59"),
        (60.0, "60-89"),
        (89.0, "60-89"),
        (90.0, "90-119"),
        (119.0, "90-119"),
        (120.0, "120+"),
        (900.0, "120+"),
        (None, "none"),
    ],
)
def test_cascade_by_turnaround_band_puts_the_next_turnaround_in_its_band(
    features_dir_from, flight, next_turnaround, band
):
    # Given one flight with that scheduled turnaround before the aircraft's next leg
    rows = [flight(next_turnaroundminutes=next_turnaround, turnaroundminutes=500.0)]

    # When
    result = run_query("cascade_by_turnaround_band", features_dir_from(rows)).to_pylist()

    # Then (the inbound turnaroundminutes plays no part)
    assert [r["turnaround_band"] for r in result] == [band]


def test_cascade_by_turnaround_band_orders_bands_and_computes_rates(features_dir_from, flight):
    # Given <30: 3 flights, 2 late, 1 cascade; 120+: 1 late cascaded; none: 1 late, never a cascade
    rows = [
        flight(next_turnaroundminutes=25.0, arrdelay=30.0, cascade=True),
        flight(next_turnaroundminutes=20.0, arrdelay=30.0),
        flight(next_turnaroundminutes=25.0, arrdelay=0.0),
        flight(next_turnaroundminutes=150.0, arrdelay=60.0, cascade=True),
        flight(next_turnaroundminutes=None, arrdelay=60.0),
    ]

    # When
    result = run_query("cascade_by_turnaround_band", features_dir_from(rows)).to_pylist()

    # Then
    assert result == [
        {"turnaround_band": "<30", "band_order": 1, "flights": 3, "late_arrivals": 2, "cascades": 1, "cascade_rate": 0.3333, "cascade_rate_of_late": 0.5},
        {"turnaround_band": "120+", "band_order": 6, "flights": 1, "late_arrivals": 1, "cascades": 1, "cascade_rate": 1.0, "cascade_rate_of_late": 1.0},
        {"turnaround_band": "none", "band_order": 7, "flights": 1, "late_arrivals": 1, "cascades": 0, "cascade_rate": 0.0, "cascade_rate_of_late": 0.0},
    ]  # fmt: skip


def test_delay_propagation_share_splits_departure_delay_into_inherited_and_created(features_dir_from, flight):
    # Given late departures (depdelay > 0) and the inbound leg's arrival delay:
    #   AA 30 after 20 late inbound -> 20 inherited; AA 10 after 50 -> 10 (capped at depdelay);
    #   AA 20 without inbound -> 0; AA 15 after an early (-10) inbound -> 0;
    #   DL 40 after 40 -> 40; DL 10 without inbound -> 0.
    # On-time / early departures (AA 0 after 40, AA -5) are not late departures and count nowhere.
    rows = [
        flight(carrier="AA", depdelay=30.0, prevflightarrdelay=20.0, late_aircraft_delay=20.0),
        flight(carrier="AA", depdelay=10.0, prevflightarrdelay=50.0),
        flight(carrier="AA", depdelay=20.0, prevflightarrdelay=None),
        flight(carrier="AA", depdelay=15.0, prevflightarrdelay=-10.0),
        flight(carrier="AA", depdelay=0.0, prevflightarrdelay=40.0),
        flight(carrier="AA", depdelay=-5.0),
        flight(carrier="AA", depdelay=None, prevflightarrdelay=40.0),
        flight(carrier="DL", depdelay=40.0, prevflightarrdelay=40.0, late_aircraft_delay=35.0),
        flight(carrier="DL", depdelay=10.0, prevflightarrdelay=None),
    ]

    # When
    result = run_query("delay_propagation_share", features_dir_from(rows)).to_pylist()

    # Then AA: 30 of 75 minutes inherited; DL: 40 of 50; overall: 70 of 125. Overall first, then by share.
    assert result == [
        {"scope": "overall", "carrier": "ALL", "delayed_departures": 6, "delay_minutes": 125.0, "propagated_minutes": 70.0,
         "created_minutes": 55.0, "propagated_share": 0.56, "created_share": 0.44, "reported_late_aircraft_minutes": 55.0},
        {"scope": "carrier", "carrier": "DL", "delayed_departures": 2, "delay_minutes": 50.0, "propagated_minutes": 40.0,
         "created_minutes": 10.0, "propagated_share": 0.8, "created_share": 0.2, "reported_late_aircraft_minutes": 35.0},
        {"scope": "carrier", "carrier": "AA", "delayed_departures": 4, "delay_minutes": 75.0, "propagated_minutes": 30.0,
         "created_minutes": 45.0, "propagated_share": 0.4, "created_share": 0.6, "reported_late_aircraft_minutes": 20.0},
    ]  # fmt: skip


def test_turnaround_efficiency_reports_delay_absorbed_per_scheduled_turnaround_band(features_dir_from, flight):
    # Given <30: (inbound 40, dep 30) and (inbound 10, dep 12); 60-89: (60, 10); 120+: (0, -3);
    # excluded: no previous leg, no inbound delay, no departure delay
    rows = [
        flight(turnaroundminutes=25.0, prevflightarrdelay=40.0, depdelay=30.0),
        flight(turnaroundminutes=28.0, prevflightarrdelay=10.0, depdelay=12.0),
        flight(turnaroundminutes=75.0, prevflightarrdelay=60.0, depdelay=10.0),
        flight(turnaroundminutes=150.0, prevflightarrdelay=0.0, depdelay=-3.0),
        flight(turnaroundminutes=None, prevflightarrdelay=None, depdelay=50.0),
        flight(turnaroundminutes=40.0, prevflightarrdelay=None, depdelay=50.0),
        flight(turnaroundminutes=130.0, prevflightarrdelay=30.0, depdelay=None),
    ]

    # When
    result = run_query("turnaround_efficiency", features_dir_from(rows)).to_pylist()

    # Then absorbed = inbound - depdelay: <30 mean of 10 and -2 = 4; one of two late inbounds (60) left on time
    assert result == [
        {"turnaround_band": "<30", "band_order": 1, "flights": 2, "mean_inbound_delay": 25.0, "mean_depdelay": 21.0,
         "mean_delay_absorbed": 4.0, "late_inbounds": 1, "late_inbound_recovered_rate": 0.0},
        {"turnaround_band": "60-89", "band_order": 4, "flights": 1, "mean_inbound_delay": 60.0, "mean_depdelay": 10.0,
         "mean_delay_absorbed": 50.0, "late_inbounds": 1, "late_inbound_recovered_rate": 1.0},
        {"turnaround_band": "120+", "band_order": 6, "flights": 1, "mean_inbound_delay": 0.0, "mean_depdelay": -3.0,
         "mean_delay_absorbed": 3.0, "late_inbounds": 0, "late_inbound_recovered_rate": None},
    ]  # fmt: skip


def test_summary_gives_flights_date_range_and_overall_rates(features_dir_from, flight):
    # Given 4 flights over January-February, 3 carriers, 2 origins, 3 of 4 on time, 1 cascade
    rows = [
        flight(carrier="AA", origin="ORD", flight_date=dt.date(2024, 1, 3), arrdelay=0.0),
        flight(carrier="DL", origin="ORD", flight_date=dt.date(2024, 1, 20), arrdelay=40.0, cascade=True),
        flight(carrier="UA", origin="ATL", flight_date=dt.date(2024, 2, 28), arrdelay=5.0),
        flight(carrier="UA", origin="ATL", flight_date=dt.date(2024, 2, 1), arrdelay=-3.0),
    ]

    # When
    result = run_query("summary", features_dir_from(rows)).to_pylist()

    # Then
    assert result == [
        {"flights": 4, "first_flight_date": dt.date(2024, 1, 3), "last_flight_date": dt.date(2024, 2, 28),
         "carriers": 3, "origins": 2, "ontime_rate": 0.75, "cascade_rate": 0.25},
    ]  # fmt: skip
