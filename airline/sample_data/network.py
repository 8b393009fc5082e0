"""The static schedule: airports' geography and time zones, carriers' lines (daily rotations), tail numbers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from airline.sample_data.params import (
    _LAST_DEPARTURE,
    SampleDataError,
    SampleDataParams,
)
from airline.sample_data_reference import AIRPORTS, CARRIERS, Carrier


@dataclass
class _Network:
    """Static schedule: one row per line, one column per leg position (padded)."""

    carrier: np.ndarray  # (L,) carrier index
    group: np.ndarray  # (L,) tail-swap group
    n_legs: np.ndarray  # (L,)
    min_turn: np.ndarray  # (L,) minimum ground time, minutes
    pad_min: np.ndarray  # (L,) the carrier's fixed block padding, minutes
    pad_share: np.ndarray  # (L,) the carrier's block padding as a share of air time
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


@dataclass(frozen=True)
class _Plan:
    """How a carrier schedules: block padding (fixed minutes + share of air time) and the turnaround mix."""

    pad_min: float
    pad_share: float
    short_hop_weight: float
    long_turn_share: float


def _block_minutes(geo: _Geo, o: int, d: int, pad: _Plan) -> tuple[int, int]:
    """Scheduled (block minutes, distance) of a leg: taxi + air time with a westbound headwind + padding."""
    dist = int(geo.dist[o, d])
    wind = 0.05 * np.sign(geo.lon[o] - geo.lon[d]) * min(1.0, abs(geo.lon[o] - geo.lon[d]) / 20.0)
    air = (0.117 * dist + 18.0 * min(1.0, dist / 300.0)) * (1.0 + wind)  # short hops climb and descend at once
    return round(geo.taxi_out[o] + air * (1.0 + pad.pad_share) + geo.taxi_in[d] + pad.pad_min), dist


def _turnaround(rng: np.random.Generator, carrier: Carrier, min_turn: int, pad: _Plan) -> float:
    if rng.random() < pad.long_turn_share:
        return float(rng.uniform(120, 240))
    if rng.random() < carrier.tight_turn_share:
        return float(rng.uniform(max(25, min_turn + 5), 45))
    return float(min(120.0, 45.0 + rng.gamma(2.0, 14.0)))


def _pick_destination(
    rng: np.random.Generator, geo: _Geo, carrier: Carrier, cur: int, served: np.ndarray, avoid: int, pad: _Plan
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
    w = w * (d >= 70) * np.where((d < 300) & (geo.tz_min[cand] != geo.tz_min[cur]), pad.short_hop_weight, 1.0)
    return int(rng.choice(cand, p=w / w.sum()))


def _plan_excursion(
    rng: np.random.Generator,
    geo: _Geo,
    carrier: Carrier,
    base: int,
    served: np.ndarray,
    pad: _Plan,
    min_turn: int,
    number: int,
    t_local: int,
) -> tuple[list[tuple[int, int, int, int, int, int]], int]:
    """Legs base -> X (-> Y) -> base from local time `t_local`, and the time the aircraft is next ready."""
    triangle = carrier.kind in ("p2p", "island") and rng.random() < 0.35
    first = _pick_destination(rng, geo, carrier, base, served, avoid=-1, pad=pad)
    stops = (
        [first, _pick_destination(rng, geo, carrier, first, served, avoid=base, pad=pad), base]
        if triangle
        else [first, base]
    )
    planned, t, o = [], t_local, base
    for d in stops:
        block, dist = _block_minutes(geo, o, d, pad)
        shift = int(geo.tz_min[d] - geo.tz_min[o])
        planned.append((number, o, d, t, block, dist))
        arr_local = t + block + shift
        t = int(5 * np.ceil((arr_local + _turnaround(rng, carrier, min_turn, pad)) / 5))
        o = d
    return planned, t


def _build_line(
    rng: np.random.Generator, geo: _Geo, carrier: Carrier, base: int, served: np.ndarray, pad: _Plan, min_turn: int
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
    rng: np.random.Generator, geo: _Geo, base: int, served: np.ndarray, pad: _Plan, min_turn: int
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


def _build_network(rng: np.random.Generator, geo: _Geo, legs_per_day: int, params: SampleDataParams) -> _Network:
    """Lines for every carrier until each carrier covers its share of the busiest day."""
    total_share = sum(c.share for c in CARRIERS)
    rows: list[tuple[int, int, int, list[tuple[int, int, int, int, int, int]]]] = []  # carrier, group, min_turn, legs
    tails: list[str] = []
    used: set[str] = set()
    next_group = 0
    plans: list[_Plan] = []
    for ci, carrier in enumerate(CARRIERS):
        hubs, served = _served_airports(rng, geo, carrier)
        hub_w = 1.0 / np.arange(1, len(hubs) + 1)
        pad = _Plan(
            pad_min=float(rng.uniform(0.0, 6.0)),
            pad_share=float(rng.uniform(*params.block_padding_share)),
            short_hop_weight=params.short_hop_weight,
            long_turn_share=params.long_turn_share,
        )
        plans.append(pad)
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
    return _network_arrays(rng, geo, rows, tails, plans)


def _network_arrays(
    rng: np.random.Generator,
    geo: _Geo,
    rows: list[tuple[int, int, int, list[tuple[int, int, int, int, int, int]]]],
    tails: list[str],
    plans: list[_Plan],
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
        pad_min=np.array([plans[c].pad_min for c in carrier]),
        pad_share=np.array([plans[c].pad_share for c in carrier]),
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
