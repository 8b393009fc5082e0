"""Realistic sample airline data: a day-by-day simulation of aircraft rotations, written as ASA or BTS files.

The model: carriers own *lines* (an aircraft's daily rotation of legs from a base and back, flight
numbers fixed) flown by tail numbers that swap between lines of the same base. Each leg departs from
the previous leg's destination after a scheduled turnaround; a late inbound aircraft delays the next
departure by what the turnaround slack cannot absorb. Exogenous delays come from carrier punctuality,
storm systems over groups of airports, hub congestion and ground-delay programmes; excursions are
cancelled (more on storm days), a few legs divert, a few aircraft-days carry junk tail numbers.

Everything is vectorised with numpy per day (a loop over leg positions only), formatted with pyarrow
and streamed to disk; the ASA file is shuffled through bounded temporary buckets.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from airline_shared.raw_formats import ASA_COLUMNS, ASA_NULL

from airline.sample_data_reference import AIRPORTS, BTS_COLUMNS, CARRIERS, EXTRA_CARRIERS, STATES, Carrier

if TYPE_CHECKING:
    import pyarrow as pa

SampleFormat = Literal["asa", "bts"]
ASA_FILE = "airline.csv.shuffle"
CARRIERS_FILE = "carriers.csv"
BTS_ZIP_NAME = "On_Time_Reporting_Carrier_On_Time_Performance_1987_present_{year}_{month}.zip"
BTS_CSV_NAME = "On_Time_Reporting_Carrier_On_Time_Performance_(1987_present)_{year}_{month}.csv"
PLACEHOLDER_TAIL_VALUES = ("", "0", "000000", "UNKNOW")
CANCELLATION_CODES = ("", "A", "B", "C", "D")
CAUSE_COLUMNS = ("CarrierDelay", "WeatherDelay", "NASDelay", "SecurityDelay", "LateAircraftDelay")

_CHUNK_ROWS = 100_000
_BUCKET_ROWS = 100_000
_MAX_BUCKETS = 256  # open temporary files; buckets grow beyond _BUCKET_ROWS past 25.6M flights
_LAST_DEPARTURE = 22 * 60 + 45  # latest scheduled local departure of a normal line


class SampleDataError(ValueError):
    """Invalid sample-data arguments (flights, months, format)."""


@dataclass(frozen=True)
class SampleDataSummary:
    """What `generate_sample_data` wrote."""

    out_dir: Path
    format: SampleFormat
    data_files: tuple[Path, ...]
    carriers_file: Path
    rows: int
    cancelled: int
    diverted: int
    start_date: date
    end_date: date
    seconds: float

    def describe(self) -> list[str]:
        """Human-readable lines for the CLI."""
        lines = [
            f"wrote {self.rows:,} flights ({self.format}) {self.start_date} .. {self.end_date} in {self.seconds:.1f}s"
        ]
        lines += [f"  {p}" for p in (*self.data_files, self.carriers_file)]
        lines.append(f"  cancelled {self.cancelled:,}, diverted {self.diverted:,}")
        return lines


# --------------------------------------------------------------------------------------------- network


@dataclass
class _Network:
    """Static schedule: one row per line, one column per leg position (padded)."""

    carrier: np.ndarray  # (L,) carrier index
    group: np.ndarray  # (L,) tail-swap group
    n_legs: np.ndarray  # (L,)
    min_turn: np.ndarray  # (L,) minimum ground time, minutes
    excursion: np.ndarray  # (L, J) excursion number within the line
    origin: np.ndarray  # (L, J) airport index
    dest: np.ndarray
    dep_local: np.ndarray  # (L, J) scheduled local departure, minutes after local midnight
    arr_local: np.ndarray  # (L, J) scheduled local arrival, minutes (>= 1440 = next day)
    dep_utc: np.ndarray  # (L, J) scheduled departure, minutes after 00:00 UTC of the flight date
    arr_utc: np.ndarray
    crs_elapsed: np.ndarray
    distance: np.ndarray
    flight_num: np.ndarray
    tails: list[str] = field(default_factory=list)  # one per line (initial assignment)


@dataclass
class _Geo:
    lat: np.ndarray
    lon: np.ndarray
    tz_min: np.ndarray  # UTC offset, minutes
    weight: np.ndarray
    dist: np.ndarray  # (A, A) great-circle miles
    taxi_out: np.ndarray  # mean taxi-out per airport
    taxi_in: np.ndarray
    code_index: dict[str, int]


def _build_geo() -> _Geo:
    lat = np.radians([a.lat for a in AIRPORTS])
    lon = np.radians([a.lon for a in AIRPORTS])
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    dist = np.rint(2 * 3959.0 * np.arcsin(np.sqrt(h)))
    weight = np.array([a.weight for a in AIRPORTS], dtype=float)
    size = np.sqrt(weight / 100.0)
    return _Geo(
        lat=np.array([a.lat for a in AIRPORTS]),
        lon=np.array([a.lon for a in AIRPORTS]),
        tz_min=np.array([a.utc_offset_hours * 60 for a in AIRPORTS]),
        weight=weight,
        dist=dist,
        taxi_out=8.0 + 12.0 * size,
        taxi_in=4.0 + 5.0 * size,
        code_index={a.code: i for i, a in enumerate(AIRPORTS)},
    )


def _served_airports(rng: np.random.Generator, geo: _Geo, carrier: Carrier) -> tuple[np.ndarray, np.ndarray]:
    """The carrier's bases (hub indices) and the spokes it flies to."""
    hubs = np.array([geo.code_index[h] for h in carrier.hubs])
    hawaii = np.array([a.state == "HI" for a in AIRPORTS])
    alaska = np.array([a.state == "AK" for a in AIRPORTS])
    if carrier.kind == "island":
        mainland = [geo.code_index[c] for c in ("LAX", "SFO", "SEA", "PDX", "LAS", "SAN", "PHX", "SMF")]
        return hubs, np.union1d(np.flatnonzero(hawaii), mainland)
    w = geo.weight.copy()
    w[hawaii] = 0.0
    if carrier.code != "AS":
        w[alaska] = 0.0
    nearest_hub = geo.dist[:, hubs].min(axis=1)
    if carrier.kind == "regional":
        w *= np.exp(-nearest_hub / 450.0) * (nearest_hub <= 1000)
    if carrier.code == "AS":
        w *= np.where(geo.lon < -100, 6.0, 1.0)
    w[hubs] = 0.0
    n_spokes = min(int(np.count_nonzero(w)), {"p2p": 18, "mainline": 38, "regional": 32}[carrier.kind])
    spokes = rng.choice(len(AIRPORTS), size=n_spokes, replace=False, p=w / w.sum())
    return hubs, np.union1d(hubs, spokes)


def _block_minutes(geo: _Geo, o: int, d: int, pad: float) -> tuple[int, int]:
    """Scheduled (block minutes, distance) of a leg: taxi + air time with a westbound headwind + padding."""
    dist = int(geo.dist[o, d])
    wind = 0.05 * np.sign(geo.lon[o] - geo.lon[d]) * min(1.0, abs(geo.lon[o] - geo.lon[d]) / 20.0)
    air = (0.117 * dist + 18.0) * (1.0 + wind)
    return round(geo.taxi_out[o] + air + geo.taxi_in[d] + pad), dist


def _turnaround(rng: np.random.Generator, carrier: Carrier, min_turn: int) -> float:
    if rng.random() < carrier.tight_turn_share:
        return float(rng.uniform(max(25, min_turn + 5), 45))
    return float(min(120.0, 45.0 + rng.gamma(2.0, 14.0)))


def _pick_destination(
    rng: np.random.Generator, geo: _Geo, carrier: Carrier, cur: int, served: np.ndarray, avoid: int
) -> int:
    cand = served[(served != cur) & (served != avoid)]
    d = geo.dist[cur, cand]
    w = geo.weight[cand] + 1.0
    if carrier.kind == "regional":
        w = w * np.exp(-d / 400.0)
    elif carrier.kind == "island":
        hi = np.array([AIRPORTS[c].state == "HI" for c in cand])
        w = w * np.where(hi, 8.0, 0.3)
    else:
        w = w * np.where(d < 150, 0.1, 1.0)
    w = w * (d >= 70)
    return int(rng.choice(cand, p=w / w.sum()))


def _plan_excursion(
    rng: np.random.Generator,
    geo: _Geo,
    carrier: Carrier,
    base: int,
    served: np.ndarray,
    pad: float,
    min_turn: int,
    number: int,
    t_local: int,
) -> tuple[list[tuple[int, int, int, int, int, int]], int]:
    """Legs base -> X (-> Y) -> base from local time `t_local`, and the time the aircraft is next ready."""
    triangle = carrier.kind in ("p2p", "island") and rng.random() < 0.35
    first = _pick_destination(rng, geo, carrier, base, served, avoid=-1)
    stops = (
        [first, _pick_destination(rng, geo, carrier, first, served, avoid=base), base] if triangle else [first, base]
    )
    planned, t, o = [], t_local, base
    for d in stops:
        block, dist = _block_minutes(geo, o, d, pad)
        shift = int(geo.tz_min[d] - geo.tz_min[o])
        block = max(block, 5 - shift)  # a same-day local arrival is never earlier than the departure
        planned.append((number, o, d, t, block, dist))
        arr_local = t + block + shift
        t = int(5 * np.ceil((arr_local + _turnaround(rng, carrier, min_turn)) / 5))
        o = d
    return planned, t


def _build_line(
    rng: np.random.Generator, geo: _Geo, carrier: Carrier, base: int, served: np.ndarray, pad: float, min_turn: int
) -> list[tuple[int, int, int, int, int, int]]:
    """One daily rotation from `base` back to `base`: legs of (excursion, origin, dest, dep_local, block, distance).

    Every leg departs before `_LAST_DEPARTURE` local, so its flight date is the line's day.
    """
    max_legs = {"regional": 8, "p2p": 7, "mainline": 5, "island": 10}[carrier.kind]
    early = rng.random() < 0.8
    t_local = int(5 * rng.integers(66, 102)) if early else int(5 * rng.integers(120, 180))  # 05:30-08:30 / 10:00-15:00
    legs: list[tuple[int, int, int, int, int, int]] = []
    for attempt in range(40):
        number = legs[-1][0] + 1 if legs else 0
        planned, t = _plan_excursion(rng, geo, carrier, base, served, pad, min_turn, number, t_local)
        fits = len(legs) + len(planned) <= max_legs and max(p[3] for p in planned) <= _LAST_DEPARTURE
        if fits:
            legs += planned
            t_local = t
        elif legs:
            break
        elif attempt >= 10:
            t_local = 360  # nothing fits from a late start: start at 06:00
        if len(legs) + 2 > max_legs or t_local > _LAST_DEPARTURE:
            break
    return legs


def _build_red_eye(
    rng: np.random.Generator, geo: _Geo, base: int, served: np.ndarray, pad: float, min_turn: int
) -> list[tuple[int, int, int, int, int, int]] | None:
    """An afternoon flight to the west coast and an overnight flight back (arrives after local midnight)."""
    west = served[(geo.tz_min[served] == -480) & (geo.dist[base, served] > 1500)]
    if geo.tz_min[base] > -420 or len(west) == 0:
        return None
    w = int(rng.choice(west))
    out_dep = int(5 * rng.integers(168, 210))  # 14:00-17:30
    block, dist = _block_minutes(geo, base, w, pad)
    arr_local = out_dep + block + int(geo.tz_min[w] - geo.tz_min[base])
    back_dep = max(int(5 * np.ceil((arr_local + min_turn + 30) / 5)), int(5 * rng.integers(258, 285)))  # >= 21:30
    if back_dep >= 1440:
        return None
    back_block, _ = _block_minutes(geo, w, base, pad)
    return [(0, base, w, out_dep, block, dist), (0, w, base, back_dep, back_block, dist)]


def _tail_numbers(rng: np.random.Generator, carrier: Carrier, count: int, used: set[str]) -> list[str]:
    """Unique registrations: N123DL style for carriers with a suffix (4 digits once 3 run out), else N12345."""
    if carrier.tail_suffix:
        pools = [np.arange(100, 1000), np.arange(1000, 10000)]
        fmt = "N{}" + carrier.tail_suffix
    else:
        pools = [np.arange(10000, 100000)]
        fmt = "N{}"
    tails: list[str] = []
    for pool in pools:
        for number in rng.permutation(pool):
            if len(tails) == count:
                return tails
            tail = fmt.format(number)
            if tail not in used:
                used.add(tail)
                tails.append(tail)
    if len(tails) < count:
        raise SampleDataError(f"too many aircraft for carrier {carrier.code}: {count}")
    return tails


def _build_network(rng: np.random.Generator, geo: _Geo, legs_per_day: int) -> _Network:
    """Lines for every carrier until each carrier covers its share of the busiest day."""
    total_share = sum(c.share for c in CARRIERS)
    rows: list[tuple[int, int, int, list[tuple[int, int, int, int, int, int]]]] = []  # carrier, group, min_turn, legs
    tails: list[str] = []
    used: set[str] = set()
    next_group = 0
    for ci, carrier in enumerate(CARRIERS):
        hubs, served = _served_airports(rng, geo, carrier)
        hub_w = 1.0 / np.arange(1, len(hubs) + 1)
        pad = float(rng.uniform(3.0, 9.0))
        min_turn = 20 if carrier.kind in ("regional", "p2p", "island") else 30
        target = max(1, round(legs_per_day * carrier.share / total_share))
        covered, groups = 0, {}
        while covered < target:
            base = int(rng.choice(hubs, p=hub_w / hub_w.sum()))
            red_eye = (
                _build_red_eye(rng, geo, base, served, pad, min_turn)
                if carrier.kind == "mainline" and rng.random() < 0.04
                else None
            )
            legs = red_eye or _build_line(rng, geo, carrier, base, served, pad, min_turn)
            if not legs:
                continue
            if red_eye:
                group, next_group = next_group, next_group + 1
            else:
                if base not in groups:
                    groups[base], next_group = next_group, next_group + 1
                group = groups[base]
            rows.append((ci, group, min_turn, legs))
            covered += len(legs)
        tails += _tail_numbers(rng, carrier, len(rows) - len(tails), used)
    return _network_arrays(rng, geo, rows, tails)


def _network_arrays(
    rng: np.random.Generator,
    geo: _Geo,
    rows: list[tuple[int, int, int, list[tuple[int, int, int, int, int, int]]]],
    tails: list[str],
) -> _Network:
    n, j = len(rows), max(len(r[3]) for r in rows)
    grid = np.zeros((6, n, j), dtype=np.int64)
    for i, (_, _, _, legs) in enumerate(rows):
        grid[:, i, : len(legs)] = np.array(legs, dtype=np.int64).T
    excursion, origin, dest, dep_local, block, distance = grid
    dep_utc = dep_local - geo.tz_min[origin]
    arr_utc = dep_utc + block
    carrier = np.array([r[0] for r in rows])
    flight_num = np.zeros((n, j), dtype=np.int64)
    for ci, c in enumerate(CARRIERS):
        mine = carrier == ci
        count = int(mine.sum()) * j
        low = 2000 if c.kind == "regional" else 1
        numbers = rng.permutation(np.arange(low, low + max(count * 2, 100)))[:count]
        flight_num[mine] = numbers.reshape(-1, j)
    return _Network(
        carrier=carrier,
        group=np.array([r[1] for r in rows]),
        n_legs=np.array([len(r[3]) for r in rows]),
        min_turn=np.array([r[2] for r in rows]),
        excursion=excursion,
        origin=origin,
        dest=dest,
        dep_local=dep_local,
        arr_local=arr_utc + geo.tz_min[dest],
        dep_utc=dep_utc,
        arr_utc=arr_utc,
        crs_elapsed=block,
        distance=distance,
        flight_num=flight_num,
        tails=tails,
    )


# ------------------------------------------------------------------------------------------ simulation


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
    "cancelled", "cancel_code", "diverted", "dep_delay", "taxi_out", "air_time", "taxi_in", "arr_delay",
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


def _simulate_day(
    rng: np.random.Generator, geo: _Geo, net: _Network, state: _State, day: int, day_date: date, n_flights: int
) -> dict[str, np.ndarray]:
    """Simulate one day of operations; returns one array per `_DAY_FIELDS` (one element per leg)."""
    legs_today = _legs_today(rng, net, n_flights)
    _swap_tails(rng, net, state)
    sev = _storm_severity(rng, geo, day_date.month)
    punctual = np.array([c.delay_prob for c in CARRIERS])[net.carrier]
    scale = np.array([c.delay_scale for c in CARRIERS])[net.carrier]
    cancelled_excursion = _cancelled_excursions(rng, net, sev)
    parts: list[dict[str, np.ndarray]] = []
    for j in range(int(legs_today.max(initial=0))):
        lines = np.flatnonzero(legs_today > j)
        parts.append(
            _simulate_legs(rng, geo, net, state, day, lines, j, sev, punctual[lines], scale[lines], cancelled_excursion)
        )
    if not parts:
        return {k: np.zeros(0, dtype=np.int64) for k in _DAY_FIELDS}
    out = {k: np.concatenate([p[k] for p in parts]) for k in _DAY_FIELDS}
    _corrupt_tails(rng, out, len(net.n_legs))
    return out


def _cancelled_excursions(rng: np.random.Generator, net: _Network, sev: np.ndarray) -> np.ndarray:
    """(L, J) cancellation code per leg: whole excursions are cancelled so the aircraft stays at its base."""
    scheduled = np.arange(net.excursion.shape[1])[None, :] < net.n_legs[:, None]
    worst = np.where(scheduled, np.maximum(sev[net.origin], sev[net.dest]), 0.0)
    n_exc = int(net.excursion.max()) + 1
    exc_worst = np.zeros((len(net.n_legs), n_exc))
    np.maximum.at(
        exc_worst, (np.arange(len(net.n_legs))[:, None].repeat(net.excursion.shape[1], 1), net.excursion), worst
    )
    p = 0.009 + 0.22 * exc_worst**2.5
    cancel = rng.random(exc_worst.shape) < p
    weather = (rng.random(exc_worst.shape) < exc_worst * 1.6) & cancel
    other = rng.choice([1, 3, 4], size=exc_worst.shape, p=[0.7, 0.28, 0.02])
    code = np.where(cancel, np.where(weather, 2, other), 0)
    return np.take_along_axis(code, net.excursion, axis=1)


def _simulate_legs(
    rng: np.random.Generator,
    geo: _Geo,
    net: _Network,
    state: _State,
    day: int,
    lines: np.ndarray,
    j: int,
    sev: np.ndarray,
    punctual: np.ndarray,
    scale: np.ndarray,
    cancelled_excursion: np.ndarray,
) -> dict[str, np.ndarray]:
    """Leg position `j` of every line in `lines`: departure, taxi, flight, arrival, delay causes."""
    n = len(lines)
    o, d = net.origin[lines, j], net.dest[lines, j]
    tail = state.tail_of_line[lines]
    dep_local = net.dep_local[lines, j]
    hour = dep_local // 60
    sched_dep = day * 1440 + net.dep_utc[lines, j]
    late_day = np.clip((hour - 6) / 14.0, 0.0, 1.0)
    # exogenous components at the gate
    base = rng.normal(-2.5, 4.0, n).clip(-20, 10)
    carrier_c = np.where(
        rng.random(n) < punctual * (0.9 + 0.8 * late_day), rng.lognormal(np.log(scale * 0.6), 0.9), 0.0
    )
    so, sd = sev[o], sev[d]
    weather_c = np.where(rng.random(n) < so * (0.5 + 0.5 * late_day), rng.exponential(15 + 70 * so), 0.0)
    gdp = np.where(rng.random(n) < sd * 0.6, rng.exponential(10 + 50 * sd), 0.0)
    congestion = np.where(
        rng.random(n) < 0.05 * np.sqrt(geo.weight[d] / 100) * (0.3 + late_day), rng.exponential(18, n), 0.0
    )
    nas_c = gdp + congestion
    sec_c = np.where(rng.random(n) < 0.0015, rng.uniform(5, 40, n), 0.0)
    own = base + carrier_c + weather_c + nas_c + sec_c
    # the aircraft itself: ready after its inbound arrival plus the minimum ground time
    ready_delay = state.ready_abs[tail] - sched_dep
    bound = ready_delay > own
    dep_delay = np.rint(np.minimum(np.where(bound, ready_delay + rng.exponential(2.0, n), own), 1400)).astype(np.int64)
    # taxi, flight, arrival
    taxi_out = np.maximum(
        1, np.rint(rng.gamma(6.0, geo.taxi_out[o] / 6.0) + 15 * so * rng.random(n) + 4 * late_day * rng.random(n))
    ).astype(np.int64)
    taxi_in = np.maximum(1, np.rint(rng.gamma(5.0, geo.taxi_in[d] / 5.0))).astype(np.int64)
    sched_air = net.crs_elapsed[lines, j] - geo.taxi_out[o] - geo.taxi_in[d]
    holding = np.where(rng.random(n) < sd * 0.5, rng.exponential(5 + 25 * sd), 0.0)
    air_time = np.maximum(10, np.rint(sched_air * rng.normal(0.965, 0.035, n) + holding)).astype(np.int64)
    arr_delay = dep_delay + taxi_out + air_time + taxi_in - net.crs_elapsed[lines, j]
    cancel_code = cancelled_excursion[lines, j]
    cancelled = cancel_code > 0
    diverted = ~cancelled & (rng.random(n) < 0.0025 + 0.03 * sd**2)
    # aircraft state: cancelled legs leave it where it was; diverted ones arrive hours late
    effective_arr = np.where(diverted, dep_delay + 90 + rng.exponential(80, n), arr_delay)
    ready = day * 1440 + net.arr_utc[lines, j] + effective_arr + net.min_turn[lines] + rng.exponential(3.0, n)
    state.ready_abs[tail[~cancelled]] = ready[~cancelled]
    causes = _delay_causes(dep_delay, arr_delay, bound, ready_delay, carrier_c, weather_c, nas_c, sec_c, sd)
    return {
        "line": lines,
        "carrier": net.carrier[lines],
        "tail": tail,
        "flight_num": net.flight_num[lines, j],
        "origin": o,
        "dest": d,
        "crs_dep": dep_local,
        "crs_arr": net.arr_local[lines, j],
        "crs_elapsed": net.crs_elapsed[lines, j],
        "distance": net.distance[lines, j],
        "cancelled": cancelled,
        "cancel_code": cancel_code,
        "diverted": diverted,
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


# ------------------------------------------------------------------------------------------ formatting


def _hhmm(minutes: np.ndarray, midnight_as_2400: bool) -> np.ndarray:
    m = np.mod(minutes, 1440)
    hhmm = (m // 60) * 100 + m % 60
    return np.where((hhmm == 0) & midnight_as_2400, 2400, hhmm)


@dataclass
class _Rows:
    """A chunk of simulated rows plus the derived, output-ready values."""

    cols: dict[str, np.ndarray]
    dates: np.ndarray  # (n,) index into `day_dates`
    day_dates: list[date]

    @property
    def n(self) -> int:
        return len(self.dates)

    def derived(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """ASA-named integer columns with their null masks."""
        c = self.cols
        cancelled, diverted = c["cancelled"].astype(bool), c["diverted"].astype(bool)
        flown = ~cancelled & ~diverted
        no = np.zeros(self.n, dtype=bool)
        arr_actual = c["crs_arr"] + c["arr_delay"]
        elapsed = c["taxi_out"] + c["air_time"] + c["taxi_in"]
        late = flown & (c["arr_delay"] >= 15)
        out = {
            "DepTime": (_hhmm(c["crs_dep"] + c["dep_delay"], True), cancelled),
            "CRSDepTime": (_hhmm(c["crs_dep"], False), no),
            "ArrTime": (_hhmm(arr_actual, True), ~flown),
            "CRSArrTime": (_hhmm(c["crs_arr"], True), no),
            "FlightNum": (c["flight_num"], no),
            "ActualElapsedTime": (elapsed, ~flown),
            "CRSElapsedTime": (c["crs_elapsed"], no),
            "AirTime": (c["air_time"], ~flown),
            "ArrDelay": (c["arr_delay"], ~flown),
            "DepDelay": (c["dep_delay"], cancelled),
            "Distance": (c["distance"], no),
            "TaxiIn": (c["taxi_in"], ~flown),
            "TaxiOut": (c["taxi_out"], cancelled),
            "Cancelled": (cancelled.astype(np.int64), no),
            "Diverted": (diverted.astype(np.int64), no),
            "WheelsOff": (_hhmm(c["crs_dep"] + c["dep_delay"] + c["taxi_out"], True), cancelled),
            "WheelsOn": (_hhmm(arr_actual - c["taxi_in"], True), ~flown),
        }
        out.update({k: (c[k], ~late) for k in CAUSE_COLUMNS})
        return out


def _text_table(values: list[str]) -> pa.Array:
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def _int_strings(values: np.ndarray, null: np.ndarray) -> pa.Array:
    """Integers as decimal strings, null where `null` is set."""
    import pyarrow as pa

    return pa.array(np.asarray(values, dtype=np.int64), mask=np.asarray(null, dtype=bool)).cast(pa.string())


def _ints(values: np.ndarray, null: np.ndarray, null_text: str) -> pa.Array:
    import pyarrow.compute as pc

    return pc.fill_null(_int_strings(values, null), null_text)


def _tail_text(tail: np.ndarray, tails: list[str]) -> pa.Array:
    table = _text_table([*tails, *reversed(PLACEHOLDER_TAIL_VALUES)])
    idx = np.where(tail >= 0, tail, len(tails) + len(PLACEHOLDER_TAIL_VALUES) + tail)
    return table.take(idx)


def _lines_bytes(columns: list[Any]) -> pa.Array:
    """Join string columns (arrays or scalars) with commas, one newline-terminated line per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    joined = pc.binary_join_element_wise(*columns, ",")
    return pc.binary_join_element_wise(joined, pa.scalar(""), "\n")


def _buffer_bytes(lines: pa.Array) -> memoryview:
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    start, stop = int(offsets[lines.offset]), int(offsets[lines.offset + len(lines)])
    return memoryview(lines.buffers()[2])[start:stop]


def _asa_lines(rows: _Rows, tails: list[str]) -> pa.Array:

    c, derived = rows.cols, rows.derived()
    dates = rows.day_dates
    per_day = {
        "Year": np.array([d.year for d in dates]),
        "Month": np.array([d.month for d in dates]),
        "DayofMonth": np.array([d.day for d in dates]),
        "DayOfWeek": np.array([d.isoweekday() for d in dates]),
    }
    no = np.zeros(rows.n, dtype=bool)
    carriers = _text_table([x.code for x in CARRIERS])
    airports = _text_table([a.code for a in AIRPORTS])
    codes = _text_table([x or ASA_NULL for x in CANCELLATION_CODES])
    text: dict[str, pa.Array] = {
        "UniqueCarrier": carriers.take(c["carrier"]),
        "TailNum": _tail_text(c["tail"], tails),
        "Origin": airports.take(c["origin"]),
        "Dest": airports.take(c["dest"]),
        "CancellationCode": codes.take(c["cancel_code"]),
    }
    columns: list[pa.Array] = []
    for name in sorted(ASA_COLUMNS):
        if name in text:
            columns.append(text[name])
        elif name in per_day:
            columns.append(_ints(per_day[name][rows.dates], no, ASA_NULL))
        else:
            values, null = derived[name]
            columns.append(_ints(values, null, ASA_NULL))
    return _lines_bytes(columns)


def _quoted(arr: pa.Array) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(pa.scalar('"'), arr, pa.scalar('"'), "")


def _decimal2(values: np.ndarray, null: np.ndarray) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.fill_null(pc.binary_join_element_wise(_int_strings(values, null), pa.scalar(".00"), ""), "")


def _hhmm_quoted(values: np.ndarray, null: np.ndarray) -> pa.Array:
    import pyarrow.compute as pc

    return _quoted(pc.fill_null(pc.utf8_lpad(_int_strings(values, null), 4, "0"), ""))


_TIME_BLOCKS = ["0001-0559", *[f"{h:02d}00-{h:02d}59" for h in range(6, 24)]]


def _time_block(hhmm: np.ndarray) -> np.ndarray:
    """Index into `_TIME_BLOCKS` of an HHMM value (2400 falls in the last hour)."""
    return np.maximum(np.minimum(hhmm // 100, 23) - 5, 0)


def _delay_group(delay: np.ndarray) -> np.ndarray:
    return np.clip(np.floor_divide(delay, 15), -2, 12)


def _airport_columns(prefix: str, idx: np.ndarray) -> dict[str, pa.Array]:
    ids = np.array([10135 + 47 * i for i in range(len(AIRPORTS))])[np.argsort(np.argsort([a.code for a in AIRPORTS]))]
    pick = {
        "AirportID": _text_table([str(x) for x in ids]),
        "AirportSeqID": _text_table([f"{x}0{2 + i % 4}" for i, x in enumerate(ids)]),
        "CityMarketID": _text_table([str(30000 + 13 * i) for i in range(len(AIRPORTS))]),
        "": _text_table([f'"{a.code}"' for a in AIRPORTS]),
        "CityName": _text_table([f'"{a.city}"' for a in AIRPORTS]),
        "State": _text_table([f'"{a.state}"' for a in AIRPORTS]),
        "StateFips": _text_table([f'"{STATES[a.state][0]}"' for a in AIRPORTS]),
        "StateName": _text_table([f'"{STATES[a.state][1]}"' for a in AIRPORTS]),
        "Wac": _text_table([str(STATES[a.state][2]) for a in AIRPORTS]),
    }
    return {f"{prefix}{k}": v.take(idx) for k, v in pick.items()}


def _bts_lines(rows: _Rows, tails: list[str]) -> pa.Array:
    import pyarrow as pa

    c, derived = rows.cols, rows.derived()
    dates = rows.day_dates
    no = np.zeros(rows.n, dtype=bool)
    day_ints = {
        "Year": [d.year for d in dates],
        "Quarter": [(d.month - 1) // 3 + 1 for d in dates],
        "Month": [d.month for d in dates],
        "DayofMonth": [d.day for d in dates],
        "DayOfWeek": [d.isoweekday() for d in dates],
    }
    cols: dict[str, Any] = {k: _text_table([str(v) for v in vals]).take(rows.dates) for k, vals in day_ints.items()}
    cols["FlightDate"] = _text_table([d.isoformat() for d in dates]).take(rows.dates)
    carrier_q = _text_table([f'"{x.code}"' for x in CARRIERS]).take(c["carrier"])
    cols["Reporting_Airline"] = carrier_q
    cols["DOT_ID_Reporting_Airline"] = _text_table([str(x.dot_id) for x in CARRIERS]).take(c["carrier"])
    cols["IATA_CODE_Reporting_Airline"] = carrier_q
    cols["Tail_Number"] = _quoted(_tail_text(c["tail"], tails))
    cols["Flight_Number_Reporting_Airline"] = _ints(c["flight_num"], no, "")
    cols |= _airport_columns("Origin", c["origin"]) | _airport_columns("Dest", c["dest"])
    for name in ("CRSDepTime", "DepTime", "WheelsOff", "WheelsOn", "CRSArrTime", "ArrTime"):
        cols[name] = _hhmm_quoted(*derived[name])
    for name in (
        "DepDelay",
        "TaxiOut",
        "TaxiIn",
        "ArrDelay",
        "Cancelled",
        "Diverted",
        "CRSElapsedTime",
        "ActualElapsedTime",
        "AirTime",
        "Distance",
        *CAUSE_COLUMNS,
    ):
        cols[name] = _decimal2(*derived[name])
    for prefix, key, blk_src in (("Dep", "DepDelay", "CRSDepTime"), ("Arr", "ArrDelay", "CRSArrTime")):
        delay, null = derived[key]
        cols[f"{prefix}DelayMinutes"] = _decimal2(np.maximum(delay, 0), null)
        cols[f"{prefix}Del15"] = _decimal2((delay >= 15).astype(np.int64), null)
        group_name = "DepartureDelayGroups" if prefix == "Dep" else "ArrivalDelayGroups"
        cols[group_name] = _ints(_delay_group(delay), null, "")
        cols[f"{prefix}TimeBlk"] = _text_table([f'"{b}"' for b in _TIME_BLOCKS]).take(_time_block(derived[blk_src][0]))
    cols["CancellationCode"] = _text_table([f'"{x}"' for x in CANCELLATION_CODES]).take(c["cancel_code"])
    cols["Flights"] = pa.scalar("1.00")
    cols["DistanceGroup"] = _ints(np.minimum(c["distance"] // 250 + 1, 11), no, "")
    cols["DivAirportLandings"] = _ints(c["diverted"].astype(np.int64), no, "")
    quoted_empty = ("FirstDepTime", "Airport", "WheelsOn", "WheelsOff", "TailNum")
    columns = [cols.get(name, pa.scalar('""' if name.endswith(quoted_empty) else "")) for name in BTS_COLUMNS]
    return _lines_bytes([*columns, pa.scalar("")])


# ------------------------------------------------------------------------------------------- writers


class _AsaWriter:
    """Rows go to random temporary buckets; `close` shuffles each bucket in memory into the final file."""

    def __init__(self, out_dir: Path, flights: int, seed: int, tails: list[str]) -> None:
        self.path = out_dir / ASA_FILE
        self.tails = tails
        self.rng = np.random.default_rng([seed, 2])
        self.n_buckets = min(_MAX_BUCKETS, max(1, -(-flights // _BUCKET_ROWS)))
        self.tmp = Path(tempfile.mkdtemp(prefix=".sample-buckets-", dir=out_dir))
        self.buckets = [open(self.tmp / f"{k}.csv", "wb") for k in range(self.n_buckets)]  # noqa: SIM115

    def write(self, rows: _Rows) -> None:
        lines = _asa_lines(rows, self.tails)
        bucket = self.rng.integers(0, self.n_buckets, rows.n)
        order = np.argsort(bucket, kind="stable")
        taken = lines.take(order)
        offsets = np.frombuffer(taken.buffers()[1], dtype=np.int32)[taken.offset : taken.offset + len(taken) + 1]
        bounds = offsets[np.concatenate([[0], np.cumsum(np.bincount(bucket, minlength=self.n_buckets))])]
        data = memoryview(taken.buffers()[2])
        for k, f in enumerate(self.buckets):
            f.write(data[bounds[k] : bounds[k + 1]])

    def close(self) -> list[Path]:
        import pyarrow as pa

        for f in self.buckets:
            f.close()
        with open(self.path, "wb") as out:
            out.write((",".join(sorted(ASA_COLUMNS)) + "\n").encode())
            for k in range(self.n_buckets):
                raw = (self.tmp / f"{k}.csv").read_bytes()
                ends = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == 10) + 1
                offsets = np.concatenate([[0], ends]).astype(np.int64)
                lines = pa.LargeStringArray.from_buffers(len(ends), pa.py_buffer(offsets), pa.py_buffer(raw))
                shuffled = lines.take(self.rng.permutation(len(ends)))
                offs = np.frombuffer(shuffled.buffers()[1], dtype=np.int64)
                out.write(memoryview(shuffled.buffers()[2])[int(offs[0]) : int(offs[-1])])
                del raw, lines, shuffled
        shutil.rmtree(self.tmp, ignore_errors=True)
        return [self.path]

    def abort(self) -> None:
        """Remove the buckets and any partial output."""
        for f in self.buckets:
            f.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.path.unlink(missing_ok=True)


class _BtsWriter:
    """One zip per month holding one CSV (plus the readme.html the real download carries)."""

    def __init__(self, out_dir: Path, tails: list[str]) -> None:
        self.out_dir = out_dir
        self.tails = tails
        self.paths: list[Path] = []
        self.month: tuple[int, int] | None = None
        self.zip: zipfile.ZipFile | None = None
        self.stream: Any = None
        self.stamp = (1980, 1, 1, 0, 0, 0)

    def _open(self, year: int, month: int) -> None:
        self._close_month()
        path = self.out_dir / BTS_ZIP_NAME.format(year=year, month=month)
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.stamp = (year, month, 1, 0, 0, 0)  # fixed member times keep the zips byte-identical per seed
        member = zipfile.ZipInfo(BTS_CSV_NAME.format(year=year, month=month), date_time=self.stamp)
        member.compress_type = zipfile.ZIP_DEFLATED
        self.stream = self.zip.open(member, "w", force_zip64=True)
        self.stream.write((",".join(f'"{c}"' for c in BTS_COLUMNS) + ",\n").encode())
        self.paths.append(path)
        self.month = (year, month)

    def _close_month(self) -> None:
        if self.zip is not None:
            self.stream.close()
            readme = zipfile.ZipInfo("readme.html", date_time=self.stamp)
            self.zip.writestr(
                readme, "<html><body>Sample data: simulated Reporting Carrier On-Time Performance.</body></html>"
            )
            self.zip.close()
            self.zip = None

    def write(self, rows: _Rows) -> None:
        for di in np.unique(rows.dates):
            d = rows.day_dates[di]
            if self.month != (d.year, d.month):
                self._open(d.year, d.month)
            sel = np.flatnonzero(rows.dates == di)
            order = sel[np.lexsort((rows.cols["flight_num"][sel], rows.cols["carrier"][sel]))]
            part = _Rows({k: v[order] for k, v in rows.cols.items()}, rows.dates[order], rows.day_dates)
            self.stream.write(_buffer_bytes(_bts_lines(part, self.tails)))

    def close(self) -> list[Path]:
        self._close_month()
        return self.paths

    def abort(self) -> None:
        """Remove every zip written so far (a partial month must not look complete)."""
        if self.zip is not None:
            with suppress(Exception):
                self.stream.close()
                self.zip.close()
            self.zip = None
        for path in self.paths:
            path.unlink(missing_ok=True)


def start_date_ending_2007(months: int) -> date:
    """The first day of `months` months that end in December 2007, as the seed's file does (120: 1998-01-01)."""
    return date(2008 - (months + 11) // 12, 12 - (months - 1) % 12, 1)


def write_carriers_csv(path: Path) -> Path:
    """The `carriers.csv` lookup: every simulated carrier plus some that never fly here."""
    rows = sorted({*((c.code, c.description) for c in CARRIERS), *EXTRA_CARRIERS})
    path.write_text('"Code","Description"\n' + "".join(f'"{code}","{desc}"\n' for code, desc in rows), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------- driver


def _simulated_chunks(
    seed: int, start: date, months: int, flights: int, on_day: Callable[[int], None]
) -> Iterator[tuple[_Rows, list[str]]]:
    """Simulate day by day and yield chunks of about `_CHUNK_ROWS` rows (with the tail-number table)."""
    days, counts = _plan_days(start, months, flights)
    geo = _build_geo()
    net = _build_network(np.random.default_rng([seed, 0]), geo, int(counts.max(initial=1)))
    state = _State(tail_of_line=np.arange(len(net.n_legs)), ready_abs=np.full(len(net.n_legs), -1e9))
    pending: list[dict[str, np.ndarray]] = []
    pending_days: list[np.ndarray] = []
    size = 0
    for i, (day_date, n_day) in enumerate(zip(days, counts, strict=True)):
        out = _simulate_day(np.random.default_rng([seed, 1, i]), geo, net, state, i, day_date, int(n_day))
        pending.append(out)
        pending_days.append(np.full(len(out["line"]), i))
        size += len(out["line"])
        on_day(int(n_day))
        if size >= _CHUNK_ROWS or i == len(days) - 1:
            cols = {k: np.concatenate([p[k] for p in pending]) for k in _DAY_FIELDS}
            yield _Rows(cols, np.concatenate(pending_days), days), net.tails
            pending, pending_days, size = [], [], 0


def generate_sample_data(
    out_dir: Path,
    flights: int,
    fmt: SampleFormat = "asa",
    seed: int = 7,
    start_date: date = date(2007, 1, 1),
    months: int = 12,
    progress: bool = False,
) -> SampleDataSummary:
    """Simulate `flights` flights over `months` months from `start_date` and write them in `fmt` to `out_dir`.

    Deterministic for a seed. Raises SampleDataError for invalid arguments.
    """
    if flights < 1:
        raise SampleDataError(f"--flights must be at least 1, got {flights}")
    if not 1 <= months <= 120:
        raise SampleDataError(f"--months must be between 1 and 120, got {months}")
    if fmt not in ("asa", "bts"):
        raise SampleDataError(f"--format must be 'asa' or 'bts', got {fmt!r}")
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    writer: _AsaWriter | _BtsWriter | None = None
    totals = {"rows": 0, "cancelled": 0, "diverted": 0}
    with _progress_bar(progress, flights) as advance:
        try:
            for rows, tails in _simulated_chunks(seed, start_date, months, flights, advance):
                if writer is None:
                    writer = _AsaWriter(out_dir, flights, seed, tails) if fmt == "asa" else _BtsWriter(out_dir, tails)
                writer.write(rows)
                totals["rows"] += rows.n
                totals["cancelled"] += int(rows.cols["cancelled"].sum())
                totals["diverted"] += int(rows.cols["diverted"].sum())
            files = writer.close() if writer else []
        except BaseException:
            if writer:
                writer.abort()
            raise
    days, _ = _plan_days(start_date, months, 1)
    return SampleDataSummary(
        out_dir=out_dir,
        format=fmt,
        data_files=tuple(files),
        carriers_file=write_carriers_csv(out_dir / CARRIERS_FILE),
        rows=totals["rows"],
        cancelled=totals["cancelled"],
        diverted=totals["diverted"],
        start_date=days[0],
        end_date=days[-1],
        seconds=time.perf_counter() - started,
    )


@contextmanager
def _progress_bar(enabled: bool, total: int) -> Iterator[Callable[[int], None]]:
    """A rich progress bar over flights when asked (on a terminal), else a no-op callback."""
    if not enabled:
        yield lambda _n: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        task = bar.add_task("flights", total=total)
        yield lambda n: bar.advance(task, n)
