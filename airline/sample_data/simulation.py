"""Day-by-day operations over the schedule: delays, recovery, cancellations, swaps, diversions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from airline.sample_data.network import (
    _Geo,
    _Network,
)
from airline.sample_data.params import (
    CAUSE_COLUMNS,
    PLACEHOLDER_TAIL_VALUES,
    SampleDataParams,
)
from airline.sample_data_reference import AIRPORTS, CARRIERS


def _plan_days(start: date, months: int, flights: int) -> tuple[list[date], np.ndarray]:
    """Every date of the period and its flight count (fewer on Saturdays and in winter), summing to `flights`."""
    end_year, end_month = divmod(start.month - 1 + months, 12)
    end = date(start.year + end_year, end_month + 1, 1)
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    weekday = np.array([0.97, 0.96, 0.97, 1.0, 1.0, 0.82, 0.93])
    season = np.array([0.95, 0.93, 1.0, 0.99, 1.0, 1.03, 1.05, 1.05, 0.98, 1.0, 0.97, 0.98])
    w = np.array([weekday[d.weekday()] * season[d.month - 1] for d in days])
    exact = flights * w / w.sum()
    counts = np.floor(exact).astype(np.int64)
    remainder = flights - int(counts.sum())
    counts[np.argsort(counts - exact, kind="stable")[:remainder]] += 1
    return days, counts


def _storm_severity(rng: np.random.Generator, geo: _Geo, month: int) -> np.ndarray:
    """Per-airport weather severity 0..1 for one day: storm systems over nearby airports plus local fog."""
    sev = np.zeros(len(AIRPORTS))
    winter, summer = month in (12, 1, 2, 3), month in (5, 6, 7, 8, 9)
    if winter:
        climate = geo.weight * (geo.lat > 37)
    elif summer:
        climate = geo.weight * ((geo.lon > -105) & (geo.lat < 43))
    else:
        climate = geo.weight * (geo.lon > -125)
    n_storms = rng.poisson(1.8 if winter else 2.5 if summer else 1.2)
    for _ in range(n_storms):
        center = rng.choice(len(AIRPORTS), p=climate / climate.sum())
        radius = rng.uniform(200, 500) if winter else rng.uniform(100, 300)
        strength = rng.beta(2.0, 2.5)
        sev = np.maximum(sev, strength * np.clip(1.0 - geo.dist[center] / radius, 0.0, 1.0))
    fog = rng.random(len(AIRPORTS)) < 0.01
    sev[fog] = np.maximum(sev[fog], rng.uniform(0.2, 0.5, fog.sum()))
    return sev


@dataclass
class _State:
    tail_of_line: np.ndarray
    ready_abs: np.ndarray  # per tail: absolute UTC minute the aircraft is ready to leave again


_DAY_FIELDS = (
    "line", "carrier", "tail", "flight_num", "origin", "dest", "crs_dep", "crs_arr", "crs_elapsed", "distance",
    "cancelled", "cancel_code", "diverted", "swapped", "dep_delay", "taxi_out", "air_time", "taxi_in", "arr_delay",
    *CAUSE_COLUMNS,
)  # fmt: skip


def _legs_today(rng: np.random.Generator, net: _Network, n_flights: int) -> np.ndarray:
    """Legs each line flies today: random lines stay idle so the day has exactly `n_flights` legs."""
    order = rng.permutation(len(net.n_legs))
    cum = np.cumsum(net.n_legs[order])
    legs = np.zeros(len(net.n_legs), dtype=np.int64)
    full = cum <= n_flights
    legs[order[full]] = net.n_legs[order[full]]
    short = int(full.sum())
    if short < len(order):
        legs[order[short]] = n_flights - (int(cum[short - 1]) if short else 0)
    return legs


def _swap_tails(rng: np.random.Generator, net: _Network, state: _State) -> None:
    """Aircraft based at the same airport swap lines from day to day."""
    if rng.random() < 0.5:
        return
    static = np.argsort(net.group, kind="stable")
    shuffled = np.lexsort((rng.random(len(net.group)), net.group))
    new = state.tail_of_line.copy()
    new[static] = state.tail_of_line[shuffled]
    state.tail_of_line = new


@dataclass
class _Day:
    """Everything one simulated day shares across its leg positions."""

    rng: np.random.Generator
    geo: _Geo
    net: _Network
    state: _State
    params: SampleDataParams
    day: int
    sev: np.ndarray  # (A,) weather severity
    gdp: np.ndarray  # (A, 2) ground-delay programme window, local minutes [start, end) (empty when start == end)
    cancel: np.ndarray  # (L, J) cancellation code index per leg (0 = flies); delay-driven ones are added during the day
    spares: dict[int, list[int]]  # tail-swap group -> idle lines of that group (their aircraft are the spares)


def _simulate_day(
    rng: np.random.Generator,
    geo: _Geo,
    net: _Network,
    state: _State,
    day: int,
    day_date: date,
    n_flights: int,
    params: SampleDataParams,
) -> dict[str, np.ndarray]:
    """Simulate one day of operations; returns one array per `_DAY_FIELDS` (one element per leg)."""
    legs_today = _legs_today(rng, net, n_flights)
    _swap_tails(rng, net, state)
    sev = _storm_severity(rng, geo, day_date.month)
    spares: dict[int, list[int]] = {}
    for line in np.flatnonzero(legs_today == 0):
        spares.setdefault(int(net.group[line]), []).append(int(line))
    d = _Day(
        rng,
        geo,
        net,
        state,
        params,
        day,
        sev,
        _hub_gdp(rng, geo, sev, params),
        _cancelled_excursions(rng, net, sev),
        spares,
    )
    parts = [_simulate_legs(d, np.flatnonzero(legs_today > j), j) for j in range(int(legs_today.max(initial=0)))]
    if not parts:
        return {k: np.zeros(0, dtype=np.int64) for k in _DAY_FIELDS}
    out = {k: np.concatenate([p[k] for p in parts]) for k in _DAY_FIELDS}
    _corrupt_tails(rng, out, len(net.n_legs))
    return out


def _hub_gdp(rng: np.random.Generator, geo: _Geo, sev: np.ndarray, params: SampleDataParams) -> np.ndarray:
    """(A, 2) afternoon ground-delay programme windows at hubs (busy airports), likelier on storm days."""
    hub = geo.weight >= 30
    on = hub & (rng.random(len(sev)) < params.hub_gdp_prob * (1.0 + 4.0 * sev))
    start = rng.integers(12 * 60, 19 * 60, len(sev))
    length = rng.integers(120, 360, len(sev))
    return np.stack([np.where(on, start, 0), np.where(on, start + length, 0)], axis=1)


def _cancelled_excursions(rng: np.random.Generator, net: _Network, sev: np.ndarray) -> np.ndarray:
    """(L, J) cancellation code per leg: whole excursions are cancelled so the aircraft stays at its base."""
    scheduled = np.arange(net.excursion.shape[1])[None, :] < net.n_legs[:, None]
    worst = np.where(scheduled, np.maximum(sev[net.origin], sev[net.dest]), 0.0)
    n_exc = int(net.excursion.max()) + 1
    exc_worst = np.zeros((len(net.n_legs), n_exc))
    np.maximum.at(
        exc_worst, (np.arange(len(net.n_legs))[:, None].repeat(net.excursion.shape[1], 1), net.excursion), worst
    )
    p = 0.007 + 0.22 * exc_worst**2.5
    cancel = rng.random(exc_worst.shape) < p
    weather = (rng.random(exc_worst.shape) < exc_worst * 1.6) & cancel
    other = rng.choice([1, 3, 4], size=exc_worst.shape, p=[0.7, 0.28, 0.02])
    code = np.where(cancel, np.where(weather, 2, other), 0)
    return np.take_along_axis(code, net.excursion, axis=1)


def _excursion_starts(net: _Network, lines: np.ndarray, j: int) -> np.ndarray:
    """Which of `lines` start a new excursion from their base at leg position `j` (never the day's first leg)."""
    if j == 0:
        return np.zeros(len(lines), dtype=bool)
    return net.excursion[lines, j] != net.excursion[lines, j - 1]


def _swap_late_aircraft(d: _Day, lines: np.ndarray, late: np.ndarray, sched_dep: np.ndarray) -> np.ndarray:
    """A ready spare of the same base takes over a late aircraft's line; the late aircraft becomes the spare."""
    swapped = np.zeros(len(lines), dtype=bool)
    for k in np.flatnonzero(late & (d.rng.random(len(lines)) < d.params.swap_prob)):
        line = int(lines[k])
        pool = d.spares.get(int(d.net.group[line]), [])
        ready = [s for s in pool if d.state.ready_abs[d.state.tail_of_line[s]] <= sched_dep[k] - 10]
        if ready:
            spare = ready[0]
            tails = d.state.tail_of_line
            tails[line], tails[spare] = tails[spare], tails[line]
            swapped[k] = True
    return swapped


def _cancel_late_excursions(d: _Day, lines: np.ndarray, j: int, late: np.ndarray) -> None:
    """The airline cancels a late aircraft's next excursion (code A) so the rest of its day runs on time."""
    hit = lines[late & (d.rng.random(len(lines)) < d.params.delay_cancel_prob)]
    if len(hit):
        same = (d.net.excursion[hit] == d.net.excursion[hit, j][:, None]) & (d.cancel[hit] == 0)
        d.cancel[hit] = np.where(same, 1, d.cancel[hit])


def _simulate_legs(d: _Day, lines: np.ndarray, j: int) -> dict[str, np.ndarray]:
    """Leg position `j` of every line in `lines`: departure, taxi, flight, arrival, delay causes."""
    rng, geo, net, state, params = d.rng, d.geo, d.net, d.state, d.params
    n = len(lines)
    o, dst = net.origin[lines, j], net.dest[lines, j]
    dep_local = net.dep_local[lines, j]
    late_day = np.clip((dep_local // 60 - 6) / 14.0, 0.0, 1.0)
    sched_dep = d.day * 1440 + net.dep_utc[lines, j]
    # at the base, a late inbound aircraft may be swapped for a spare, or its next excursion cancelled
    starts = _excursion_starts(net, lines, j)
    inbound_late = state.ready_abs[state.tail_of_line[lines]] - sched_dep
    swapped = _swap_late_aircraft(d, lines, starts & (inbound_late >= params.swap_minutes), sched_dep)
    tail = state.tail_of_line[lines]
    ready_delay = state.ready_abs[tail] - sched_dep
    _cancel_late_excursions(d, lines, j, starts & (ready_delay >= params.delay_cancel_minutes))
    # exogenous components at the gate
    base = rng.normal(-2.5, 4.0, n).clip(-20, 10)
    crew = np.where(
        rng.random(n) < params.crew_not_ready_share * (0.4 + 1.2 * late_day) * (1 + 2 * d.sev[o]),
        rng.exponential(params.crew_delay_minutes, n),
        0.0,
    )
    punctual = np.array([c.delay_prob for c in CARRIERS])[net.carrier[lines]]
    scale = np.array([c.delay_scale for c in CARRIERS])[net.carrier[lines]]
    carrier_c = crew + np.where(
        rng.random(n) < punctual * (0.9 + 0.8 * late_day), rng.lognormal(np.log(scale * 0.6), 0.9), 0.0
    )
    so, sd = d.sev[o], d.sev[dst]
    weather_c = np.where(rng.random(n) < so * (0.5 + 0.5 * late_day), rng.exponential(15 + 70 * so), 0.0)
    arr_local = net.arr_local[lines, j] % 1440
    in_gdp = (arr_local >= d.gdp[dst, 0]) & (arr_local < d.gdp[dst, 1])
    gdp = np.where(rng.random(n) < sd * 0.6, rng.exponential(10 + 50 * sd), 0.0)
    gdp = np.maximum(gdp, np.where(in_gdp & (rng.random(n) < 0.85), rng.exponential(params.gdp_delay_minutes, n), 0.0))
    congestion = np.where(
        rng.random(n) < 0.05 * np.sqrt(geo.weight[dst] / 100) * (0.3 + late_day), rng.exponential(18, n), 0.0
    )
    nas_c = gdp + congestion
    sec_c = np.where(rng.random(n) < 0.0015, rng.uniform(5, 40, n), 0.0)
    own = base + carrier_c + weather_c + nas_c + sec_c
    # the aircraft itself: ready after its inbound plus the minimum ground time, sooner when the crew hurries
    quick = np.where(rng.random(n) < params.quick_turn_prob, rng.uniform(0, params.quick_turn_minutes, n), 0.0)
    ready_delay = ready_delay - np.where(ready_delay > 0, quick, 0.0)
    bound = ready_delay > own
    dep_delay = np.rint(np.minimum(np.where(bound, ready_delay + rng.exponential(2.0, n), own), 1400)).astype(np.int64)
    # taxi, flight (the block padding is there to be recovered; late flights also fly faster), arrival
    taxi_out = np.maximum(
        1, np.rint(rng.gamma(6.0, geo.taxi_out[o] / 6.0) + 15 * so * rng.random(n) + 4 * late_day * rng.random(n))
    ).astype(np.int64)
    hub_gate = geo.weight[dst] >= 30
    gate_wait = np.where(
        hub_gate & (rng.random(n) < params.gate_not_ready_share * (0.3 + 1.4 * late_day)),
        rng.exponential(params.gate_wait_minutes, n),
        0.0,
    )
    taxi_in = np.maximum(1, np.rint(rng.gamma(5.0, geo.taxi_in[dst] / 5.0) + gate_wait)).astype(np.int64)
    pad_share = net.pad_share[lines]
    nominal_air = (net.crs_elapsed[lines, j] - geo.taxi_out[o] - geo.taxi_in[dst] - net.pad_min[lines]) / (
        1 + pad_share
    )
    speed_up = np.where(dep_delay > 15, rng.uniform(0.0, 0.06, n) * nominal_air, 0.0)
    holding = np.where(rng.random(n) < sd * 0.5, rng.exponential(5 + 25 * sd), 0.0)
    air = nominal_air * rng.normal(1.0, 0.035, n) - np.minimum(speed_up, 0.5 * np.maximum(dep_delay, 0)) + holding
    air_time = np.maximum(10, np.rint(air)).astype(np.int64)
    arr_delay = dep_delay + taxi_out + air_time + taxi_in - net.crs_elapsed[lines, j]
    cancel_code = d.cancel[lines, j]
    cancelled = cancel_code > 0
    diverted = ~cancelled & (rng.random(n) < 0.0025 + 0.03 * sd**2)
    # aircraft state: cancelled legs leave it where it was; diverted ones arrive hours late
    effective_arr = np.where(diverted, dep_delay + 90 + rng.exponential(80, n), arr_delay)
    service = rng.exponential(params.turn_service_minutes, n)
    ready = d.day * 1440 + net.arr_utc[lines, j] + effective_arr + net.min_turn[lines] + service
    state.ready_abs[tail[~cancelled]] = ready[~cancelled]
    causes = _delay_causes(dep_delay, arr_delay, bound, ready_delay, carrier_c, weather_c, nas_c, sec_c, sd)
    return {
        "line": lines,
        "carrier": net.carrier[lines],
        "tail": tail,
        "flight_num": net.flight_num[lines, j],
        "origin": o,
        "dest": dst,
        "crs_dep": dep_local,
        "crs_arr": net.arr_local[lines, j],
        "crs_elapsed": net.crs_elapsed[lines, j],
        "distance": net.distance[lines, j],
        "cancelled": cancelled,
        "cancel_code": cancel_code,
        "diverted": diverted,
        "swapped": swapped,
        "dep_delay": dep_delay,
        "taxi_out": taxi_out,
        "air_time": air_time,
        "taxi_in": taxi_in,
        "arr_delay": arr_delay,
        **dict(zip(CAUSE_COLUMNS, causes, strict=True)),
    }


def _delay_causes(
    dep_delay: np.ndarray,
    arr_delay: np.ndarray,
    bound: np.ndarray,
    ready_delay: np.ndarray,
    carrier_c: np.ndarray,
    weather_c: np.ndarray,
    nas_c: np.ndarray,
    sec_c: np.ndarray,
    sd: np.ndarray,
) -> list[np.ndarray]:
    """Split ArrDelay into the five BTS causes (whole minutes summing to ArrDelay), as the carriers report them."""
    dep_pos = np.maximum(dep_delay, 0).astype(float)
    late = np.where(bound, np.clip(ready_delay, 0, dep_pos), 0.0)
    rest = dep_pos - late
    own = np.stack([carrier_c, weather_c, nas_c, sec_c])
    own_total = own.sum(axis=0)
    share = np.where(
        own_total > 0, own / np.where(own_total > 0, own_total, 1.0), np.array([[1.0], [0.0], [0.0], [0.0]])
    )
    enroute = np.maximum(arr_delay - dep_delay, 0).astype(float)
    weather_share = np.where(sd > 0.3, 0.5, 0.0)
    parts = np.stack([
        rest * share[0],
        rest * share[1] + enroute * weather_share,
        rest * share[2] + enroute * (1 - weather_share),
        rest * share[3],
        late,
    ])  # fmt: skip
    total = parts.sum(axis=0)
    target = np.maximum(arr_delay, 0).astype(float)
    scaled = np.floor(parts * np.where(total > 0, target / np.where(total > 0, total, 1.0), 0.0))
    scaled[2] += np.where(total > 0, 0, target)  # nothing to blame: NAS
    leftover = target - scaled.sum(axis=0)
    top = np.argmax(parts, axis=0)
    scaled[top, np.arange(len(top))] += leftover
    return [scaled[k].astype(np.int64) for k in range(5)]


def _corrupt_tails(rng: np.random.Generator, out: dict[str, np.ndarray], n_tails: int) -> None:
    """Reporting noise: ~0.5% of aircraft-days carry a junk tail (negative index), ~0.3% of legs a wrong tail."""
    out["tail"] = out["tail"].copy()
    wrong = rng.random(len(out["tail"])) < 0.003
    out["tail"][wrong] = rng.integers(0, n_tails, int(wrong.sum()))
    lines = np.unique(out["line"])
    junk_lines = lines[rng.random(len(lines)) < 0.005]
    if len(junk_lines):
        kind = np.zeros(int(lines.max()) + 1, dtype=np.int64)
        kind[junk_lines] = rng.integers(0, len(PLACEHOLDER_TAIL_VALUES), len(junk_lines))
        hit = np.isin(out["line"], junk_lines)
        out["tail"][hit] = -1 - kind[out["line"][hit]]
