"""The driver: simulate chunk by chunk, write, summarise."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from airline.sample_data.formatting import (
    _Rows,
)
from airline.sample_data.network import (
    _build_geo,
    _build_network,
)
from airline.sample_data.params import (
    _CHUNK_ROWS,
    CARRIERS_FILE,
    CAUSE_COLUMNS,
    DEFAULT_PARAMS,
    SampleDataError,
    SampleDataParams,
    SampleFormat,
)
from airline.sample_data.simulation import (
    _DAY_FIELDS,
    _plan_days,
    _simulate_day,
    _State,
)
from airline.sample_data.writers import _AsaWriter, _BtsWriter, write_carriers_csv


@dataclass(frozen=True)
class SampleDataSummary:
    """What `generate_sample_data` wrote."""

    out_dir: Path
    format: SampleFormat
    data_files: tuple[Path, ...]
    carriers_file: Path
    rows: int  # flights simulated (each once)
    cancelled: int
    diverted: int
    duplicate_rows: int  # second copies written on top of `rows`
    swaps: int  # legs flown by a spare that took over from a late aircraft
    on_time_share: float  # flown flights arriving less than 15 minutes late
    late_aircraft_share: float  # share of the delay minutes (BTS causes) attributed to a late-arriving aircraft
    start_date: date
    end_date: date
    seconds: float

    def describe(self) -> list[str]:
        """Human-readable lines for the CLI."""
        lines = [
            f"wrote {self.rows:,} flights ({self.format}) {self.start_date} .. {self.end_date} in {self.seconds:.1f}s"
        ]
        lines += [f"  {p}" for p in (*self.data_files, self.carriers_file)]
        lines.append(
            f"  cancelled {self.cancelled:,}, diverted {self.diverted:,}, duplicate rows {self.duplicate_rows:,}, "
            f"aircraft swaps {self.swaps:,}"
        )
        lines.append(
            f"  on time {self.on_time_share:.1%}, late-aircraft share of delay minutes {self.late_aircraft_share:.1%}"
        )
        return lines


def _simulated_chunks(
    seed: int, start: date, months: int, flights: int, on_day: Callable[[int], None], params: SampleDataParams
) -> Iterator[tuple[_Rows, list[str]]]:
    """Simulate day by day and yield chunks of about `_CHUNK_ROWS` rows (with the tail-number table)."""
    days, counts = _plan_days(start, months, flights)
    geo = _build_geo()
    net = _build_network(np.random.default_rng([seed, 0]), geo, int(counts.max(initial=1)), params)
    state = _State(tail_of_line=np.arange(len(net.n_legs)), ready_abs=np.full(len(net.n_legs), -1e9))
    pending: list[dict[str, np.ndarray]] = []
    pending_days: list[np.ndarray] = []
    size = 0
    for i, (day_date, n_day) in enumerate(zip(days, counts, strict=True)):
        out = _simulate_day(np.random.default_rng([seed, 1, i]), geo, net, state, i, day_date, int(n_day), params)
        pending.append(out)
        pending_days.append(np.full(len(out["line"]), i))
        size += len(out["line"])
        on_day(int(n_day))
        if size >= _CHUNK_ROWS or i == len(days) - 1:
            cols = {k: np.concatenate([p[k] for p in pending]) for k in _DAY_FIELDS}
            rows = _Rows(cols, np.concatenate(pending_days), days)
            yield _with_duplicates(np.random.default_rng([seed, 3, i]), rows, params), net.tails
            pending, pending_days, size = [], [], 0


def generate_sample_data(
    out_dir: Path,
    flights: int,
    fmt: SampleFormat = "asa",
    seed: int = 7,
    start_date: date = date(2007, 1, 1),
    months: int = 12,
    progress: bool = False,
    params: SampleDataParams = DEFAULT_PARAMS,
) -> SampleDataSummary:
    """Simulate `flights` flights over `months` months from `start_date` and write them in `fmt` to `out_dir`.

    `params` sets the simulated phenomena (defaults: README, "Sample data"). Deterministic for a seed and
    params. Raises SampleDataError for invalid arguments.
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
    totals = dict.fromkeys(("rows", "duplicates", "cancelled", "diverted", "swaps", "flown", "on_time"), 0)
    cause_minutes = np.zeros(len(CAUSE_COLUMNS))
    with _progress_bar(progress, flights) as advance:
        try:
            for rows, tails in _simulated_chunks(seed, start_date, months, flights, advance, params):
                if writer is None:
                    writer = _AsaWriter(out_dir, flights, seed, tails) if fmt == "asa" else _BtsWriter(out_dir, tails)
                writer.write(rows)
                _count(rows, totals, cause_minutes)
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
        duplicate_rows=totals["duplicates"],
        swaps=totals["swaps"],
        on_time_share=totals["on_time"] / max(totals["flown"], 1),
        late_aircraft_share=float(cause_minutes[-1] / max(cause_minutes.sum(), 1.0)),
        start_date=days[0],
        end_date=days[-1],
        seconds=time.perf_counter() - started,
    )


def _with_duplicates(rng: np.random.Generator, rows: _Rows, params: SampleDataParams) -> _Rows:
    """Append second copies of some flights (column `copy`: 0 original, 1 identical, 2 re-exported a minute later)."""
    draw = rng.random(rows.n)
    exact = np.flatnonzero(draw < params.duplicate_share)
    near = np.flatnonzero(
        (draw >= params.duplicate_share) & (draw < params.duplicate_share + params.near_duplicate_share)
    )
    pick = np.concatenate([exact, near])
    cols = {k: np.concatenate([v, v[pick]]) for k, v in rows.cols.items()}
    cols["copy"] = np.concatenate(
        [np.zeros(rows.n, dtype=np.int64), np.ones(len(exact), dtype=np.int64), np.full(len(near), 2)]
    )
    _reexport_a_minute_later(cols, np.arange(rows.n + len(exact), rows.n + len(pick)))
    return _Rows(cols, np.concatenate([rows.dates, rows.dates[pick]]), rows.day_dates)


def _reexport_a_minute_later(cols: dict[str, np.ndarray], rows: np.ndarray) -> None:
    """A corrected re-export: one more taxi-in minute, so ArrTime, ArrDelay and the causes move by one."""
    flown = ~cols["cancelled"][rows].astype(bool) & ~cols["diverted"][rows].astype(bool)
    rows = rows[flown]
    was_late = cols["arr_delay"][rows] >= 15
    cols["taxi_in"][rows] += 1
    cols["arr_delay"][rows] += 1
    now_late = ~was_late & (cols["arr_delay"][rows] >= 15)
    cols["NASDelay"][rows[was_late]] += 1
    for name in CAUSE_COLUMNS:
        cols[name][rows[now_late]] = cols["arr_delay"][rows[now_late]] if name == "NASDelay" else 0


def _count(rows: _Rows, totals: dict[str, int], cause_minutes: np.ndarray) -> None:
    """Add a chunk to the summary's totals (flights are counted once, second copies as duplicates)."""
    c = rows.cols
    first = c["copy"] == 0
    flown = first & ~c["cancelled"].astype(bool) & ~c["diverted"].astype(bool)
    late = flown & (c["arr_delay"] >= 15)
    totals["rows"] += int(first.sum())
    totals["duplicates"] += int((~first).sum())
    totals["cancelled"] += int(c["cancelled"][first].sum())
    totals["diverted"] += int(c["diverted"][first].sum())
    totals["swaps"] += int(c["swapped"][first].sum())
    totals["flown"] += int(flown.sum())
    totals["on_time"] += int((flown & (c["arr_delay"] < 15)).sum())
    cause_minutes += [float(c[name][late].sum()) for name in CAUSE_COLUMNS]


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
