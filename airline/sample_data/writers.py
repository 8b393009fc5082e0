"""Streaming writers: the shuffled ASA file through bounded temporary buckets, one BTS zip per month."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from airline_shared.raw_formats import ASA_COLUMNS

from airline.sample_data.formatting import (
    _asa_lines,
    _bts_lines,
    _buffer_bytes,
    _Rows,
)
from airline.sample_data.params import (
    _BUCKET_ROWS,
    _MAX_BUCKETS,
    ASA_FILE,
    BTS_CSV_NAME,
    BTS_ZIP_NAME,
)
from airline.sample_data_reference import BTS_COLUMNS, CARRIERS, EXTRA_CARRIERS


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
        self.carry: list[_Rows] = []  # second copies of earlier months' flights, due in the next zip

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
        self._write_carried()

    def _write_carried(self) -> None:
        for part in self.carry:
            self.stream.write(_buffer_bytes(_bts_lines(part, self.tails)))
        self.carry = []

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
        """Each day's flights sorted by carrier and flight; identical second copies go into the next month's zip."""
        carried = rows.cols["copy"] == 1
        if carried.any():
            self.carry.append(_take(rows, np.flatnonzero(carried)))
            rows = _take(rows, np.flatnonzero(~carried))
        for di in np.unique(rows.dates):
            d = rows.day_dates[di]
            if self.month != (d.year, d.month):
                self._open(d.year, d.month)
            sel = np.flatnonzero(rows.dates == di)
            order = sel[np.lexsort((rows.cols["flight_num"][sel], rows.cols["carrier"][sel]))]
            self.stream.write(_buffer_bytes(_bts_lines(_take(rows, order), self.tails)))

    def close(self) -> list[Path]:
        if self.zip is not None:
            self._write_carried()  # the last month's copies stay in its own zip
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


def _take(rows: _Rows, idx: np.ndarray) -> _Rows:
    return _Rows({k: v[idx] for k, v in rows.cols.items()}, rows.dates[idx], rows.day_dates)


def start_date_ending_2007(months: int) -> date:
    """The first day of `months` months that end in December 2007, as the seed's file does (120: 1998-01-01)."""
    return date(2008 - (months + 11) // 12, 12 - (months - 1) % 12, 1)


def write_carriers_csv(path: Path) -> Path:
    """The `carriers.csv` lookup: every simulated carrier plus some that never fly here."""
    rows = sorted({*((c.code, c.description) for c in CARRIERS), *EXTRA_CARRIERS})
    path.write_text('"Code","Description"\n' + "".join(f'"{code}","{desc}"\n' for code, desc in rows), encoding="utf-8")
    return path
