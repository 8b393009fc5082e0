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
    SampleDataError,
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
