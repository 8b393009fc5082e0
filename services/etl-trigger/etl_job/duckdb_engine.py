"""The embedded engine: the shared SQL on DuckDB in two passes, so memory stays bounded at any input size.

Pass 1 streams each raw file once: normalise, classify and type every row (TYPED_SQL) and store it by
flight month as Parquet in the work folder: the rows rotations are made of (ROTATION_ROWS: kept rows and
cancelled legs) under their month, every other dropped row under month 0, kept only to be counted. A file
DuckDB cannot read (a row of the wrong width, a broken gzip) is left out with the reason and the run goes
on. Then each month's rows are ranked once (RANKED_LEGS_SQL: scheduled minutes, and which copy of a flight
is used; copies share the flight date, hence the month, so this is exact across files), replacing its
pass-1 files, and give its daily delay sums and duplicates (DAILY_SQL). Pass 2 computes the features month
by month (`features_sql(days)`): each month reads its own ranked rows plus ROTATION_MARGIN_DAYS on either
side and the daily delay sums of the HISTORY_DAYS before it, and writes `year=YYYY/month=MM/part-0.parquet`
sorted by OUTPUT_ORDER. No step holds more than about a month.
"""

import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
from airline_shared.features import HISTORY_DAYS

from etl_job.definition import (
    CLASSIFY_SQL,
    DAILY_SQL,
    DUPLICATES_SQL,
    HISTORY_RELATIONS,
    OUTPUT_ORDER,
    RANKED_LEGS_SQL,
    ROTATION_MARGIN_DAYS,
    ROTATION_ROWS,
    TYPED_SQL,
    count_duplicates,
    features_sql,
)
from etl_job.inputs import ENCODING, NULL_STRINGS, RawInput
from etl_job.models import EtlError, RejectedFile

DEFAULT_MEMORY_LIMIT = "1536MB"  # process peak stays under 2.5 GB with Python and Arrow on top
#: Rows a thread buffers per month before writing (DuckDB's default, 524,288, times ~120 months of a
#: shuffled file would hold gigabytes); small enough for 240 months x 2 threads within the memory limit.
_PARTITION_FLUSH_ROWS = 16_384
_EPOCH = date(1970, 1, 1)
_DROPPED = 0  # the store's month for dropped rows that take no place in a rotation
Say = Callable[[str], None]


@dataclass
class EngineResult:
    """Row counts per reason (`kept` + drop reasons) and the files the run left out."""

    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[RejectedFile] = field(default_factory=list)


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join(_sql_str(str(p)) for p in paths) + "]"


def _read_csv_sql(raw: RawInput) -> str:
    """read_csv with an explicit all-VARCHAR schema in header order (no sniffing, strict rows)."""
    columns = ", ".join(f"{_sql_str(name)}: 'VARCHAR'" for name in raw.columns)
    nulls = ", ".join(_sql_str(n) for n in NULL_STRINGS)
    return (
        f"read_csv({_sql_str(raw.path)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', columns = {{{columns}}}, nullstr = [{nulls}], encoding = {_sql_str(ENCODING)}, "
        "compression = 'auto', strict_mode = true)"
    )


def _connect(work_dir: Path, memory_limit: str, threads: int | None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()  # in-memory; operators spill to temp_directory beyond memory_limit
    con.execute(f"SET memory_limit = {_sql_str(memory_limit)}")
    con.execute(f"SET temp_directory = {_sql_str(str(work_dir / 'spill'))}")
    con.execute("SET preserve_insertion_order = false")  # lets every step stream and spill
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET partitioned_write_flush_threshold = {_PARTITION_FLUSH_ROWS}")
    con.execute("SET partitioned_write_max_open_files = 400")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _execute_with_progress(con: duckdb.DuckDBPyConnection, sql: str, say: Say, label: str, size: int) -> None:
    """Run one long statement that reads a file of `size` bytes, reporting how much is read every 10 s."""
    failure: list[BaseException] = []

    def work() -> None:
        try:
            con.execute(sql)
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    started, read_before = time.perf_counter(), _bytes_read()
    worker.start()
    while worker.is_alive():
        worker.join(timeout=10.0)
        if worker.is_alive():
            read = (_bytes_read() - read_before) / 1e9
            say(f"{label}: {read:.1f} of {size / 1e9:.1f} GB read ({time.perf_counter() - started:.0f} s)")
    if failure:
        raise failure[0]


def _bytes_read() -> int:
    """Bytes this process has read so far (Linux /proc; 0 elsewhere): DuckDB reports no progress for a COPY."""
    try:
        with open("/proc/self/io") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("rchar:"))
    except (OSError, StopIteration, ValueError):
        return 0


def _is_input_error(exc: duckdb.Error, raw: RawInput) -> bool:
    """Whether DuckDB failed on this file's content (left out) rather than on the machine (the run fails)."""
    if isinstance(exc, duckdb.InvalidInputException | duckdb.ConversionException):
        return True
    return isinstance(exc, duckdb.IOException) and raw.path in str(exc)


def _printable(message: str, limit: int = 500) -> str:
    """One line of printable text (CSV errors quote the offending line, which may be binary)."""
    return "".join(c if c.isprintable() else "?" for c in " ".join(message.split()))[:limit]


def _failed_line(message: str) -> int | None:
    """The 1-based line DuckDB names in a CSV error, if any."""
    found = re.search(r"[Ll]ine:?\s*(\d+)", message)
    return int(found.group(1)) if found else None


def _store_file(con: duckdb.DuckDBPyConnection, raw: RawInput, target: Path, say: Say) -> None:
    """Pass 1 for one file: typed rows by flight month under target (`flight_month=YYYYMM`, 0 = dropped).

    Cancelled legs (ROTATION_ROWS) are stored under their month: they take their place in the rotations.
    """
    con.execute(f"CREATE OR REPLACE TEMP VIEW src AS SELECT * FROM {_read_csv_sql(raw)}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_flights AS {raw.normalise_sql('src')}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW classified AS {CLASSIFY_SQL}")
    month = f"CASE WHEN {ROTATION_ROWS} THEN YEAR(flight_date) * 100 + MONTH(flight_date) ELSE {_DROPPED} END"
    _execute_with_progress(
        con,
        f"COPY (SELECT *, {month} AS flight_month FROM ({TYPED_SQL})) TO {_sql_str(str(target))} "
        "(FORMAT PARQUET, PARTITION_BY (flight_month), COMPRESSION snappy)",
        say,
        f"reading {Path(raw.path).name}",
        Path(raw.path).stat().st_size,
    )


def store_inputs(con: duckdb.DuckDBPyConnection, inputs: list[RawInput], store: Path, say: Say) -> EngineResult:
    """Pass 1 over every file; a file DuckDB rejects is reported in the result and left out."""
    result = EngineResult()
    store.mkdir(parents=True, exist_ok=True)
    for i, raw in enumerate(inputs):
        target = store / f"file-{i}"
        say(f"pass 1, file {i + 1}/{len(inputs)}: {raw.path}")
        try:
            _store_file(con, raw, target, say)
        except duckdb.Error as exc:
            if not _is_input_error(exc, raw):
                raise
            message = _printable(str(exc))
            member = f" (member {Path(raw.path).name})" if raw.source else ""
            result.rejected.append(
                RejectedFile(file=raw.source or raw.path, reason=message + member, row=_failed_line(message))
            )
            say(f"left out {raw.path}: {message[:200]}")
            shutil.rmtree(target, ignore_errors=True)
            continue
        counted = con.execute(
            "SELECT COALESCE(drop_reason, 'kept'), COUNT(*) FROM read_parquet("
            f"{_sql_str(str(target / '*' / '*.parquet'))}) GROUP BY 1"
        ).fetchall()
        for reason, n in counted:
            result.counts[str(reason)] = result.counts.get(str(reason), 0) + int(n)
    return result


def _month_days(month: int) -> tuple[int, int]:
    """(first, last) day number of YYYYMM."""
    year, mon = divmod(month, 100)
    first = date(year, mon, 1)
    following = date(year + mon // 12, mon % 12 + 1, 1)
    return (first - _EPOCH).days, (following - _EPOCH).days - 1


def _months_between(lo_day: int, hi_day: int) -> list[int]:
    """YYYYMM of every month touching day numbers [lo_day, hi_day]."""
    lo, hi = date.fromordinal(_EPOCH.toordinal() + lo_day), date.fromordinal(_EPOCH.toordinal() + hi_day)
    months, y, m = [], lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        months.append(y * 100 + m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _view(con: duckdb.DuckDBPyConnection, name: str, files: list[Path], days: tuple[int, int] | None = None) -> None:
    """Temp view `name` over these Parquet files, optionally only the rows of day numbers [lo, hi]."""
    where = "" if days is None else f" WHERE day_num BETWEEN {int(days[0])} AND {int(days[1])}"
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet({_sql_list(files)}){where}")


class _MonthStore:
    """The pass-1 files by flight month, ranked once per month (`ranked_legs`), with daily sums and duplicates."""

    def __init__(self, con: duckdb.DuckDBPyConnection, store: Path) -> None:
        self.con, self.store = con, store
        self.files: dict[int, list[Path]] = {}
        for file in sorted(store.glob("file-*/flight_month=*/*.parquet")):
            month = int(file.parent.name.split("=", 1)[1])
            if month != _DROPPED:
                self.files.setdefault(month, []).append(file)
        self._ranked: dict[int, Path] = {}
        self._daily: dict[int, dict[str, Path]] = {}
        self.duplicates = 0

    def ranked(self, months: list[int]) -> list[Path]:
        """The RANKED_LEGS_SQL rows of these months, as Parquet files (after `summarise`)."""
        return [self._ranked[m] for m in months if m in self._ranked]

    def daily(self, months: list[int]) -> dict[str, list[Path]]:
        """The history relations (HISTORY_RELATIONS) of these months, as Parquet files (after `summarise`)."""
        return {name: [self._daily[m][name] for m in months if m in self._daily] for name in HISTORY_RELATIONS}

    def summarise(self) -> None:
        """Rank every month's rows once (copies of a flight share its month), then its daily sums and duplicates.

        A month's pass-1 files are removed once ranked: pass 2 reads the ranked rows.
        """
        for month in sorted(self.files):
            ranked = self.store / "ranked" / f"{month}.parquet"
            ranked.parent.mkdir(parents=True, exist_ok=True)
            _view(self.con, "flights", self.files[month])
            self.con.execute(f"COPY ({RANKED_LEGS_SQL}) TO {_sql_str(str(ranked))} (FORMAT PARQUET)")
            for file in self.files[month]:
                file.unlink()
            self._ranked[month] = ranked
            self._daily[month] = self._write_daily(month)

    def _write_daily(self, month: int) -> dict[str, Path]:
        _view(self.con, "ranked_legs", [self._ranked[month]])
        written = {}
        for name, sql in DAILY_SQL.items():  # each relation reads the ones before it: bind it to its file
            path = self.store / "daily" / name / f"{month}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.con.execute(f"COPY ({sql}) TO {_sql_str(str(path))} (FORMAT PARQUET)")
            _view(self.con, name, [path])
            written[name] = path
        found = self.con.execute(DUPLICATES_SQL).fetchone()
        self.duplicates += int(found[0]) if found else 0
        return written


def _write_month(con: duckdb.DuckDBPyConnection, months: _MonthStore, month: int, out_dir: Path) -> int:
    """Pass 2 for one month: its features, sorted, as out_dir/year=YYYY/month=MM/part-0.parquet; the rows written.

    A month of cancelled legs only has no features: it gets no partition (as in the Spark engine).
    """
    lo, hi = _month_days(month)
    reach = (lo - ROTATION_MARGIN_DAYS, hi + ROTATION_MARGIN_DAYS)
    for name, files in months.daily(_months_between(lo - HISTORY_DAYS, hi)).items():
        _view(con, name, files, (lo - HISTORY_DAYS, hi))
    _view(con, "ranked_legs", months.ranked(_months_between(*reach)), reach)
    target = out_dir / f"year={month // 100}" / f"month={month % 100:02d}" / "part-0.parquet"
    target.parent.mkdir(parents=True)
    order = ", ".join(f"{c} NULLS LAST" for c in OUTPUT_ORDER)
    written = con.execute(
        f"COPY (SELECT * EXCLUDE (year, month) FROM ({features_sql((lo, hi))}) ORDER BY {order}) "
        f"TO {_sql_str(str(target))} (FORMAT PARQUET, COMPRESSION zstd)"
    ).fetchone()
    rows = int(written[0]) if written else 0
    if rows == 0:
        shutil.rmtree(target.parent)
        if not any(target.parent.parent.iterdir()):
            target.parent.parent.rmdir()
    return rows


def run_duckdb(
    inputs: list[RawInput],
    out_dir: Path,
    work_dir: Path,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int | None = None,
    progress: Say | None = None,
) -> EngineResult:
    """Write the features of `inputs` under out_dir (year=YYYY/month=MM); row counts and left-out files.

    Raises EtlError when no input file could be read, or DuckDB fails on the stored rows.
    """
    say = progress or (lambda _msg: None)
    con = _connect(work_dir, memory_limit, threads)
    try:
        store = work_dir / "store"
        result = store_inputs(con, inputs, store, say)
        if len(result.rejected) == len(inputs):
            reasons = "; ".join(f"{r.file}: {r.reason}" for r in result.rejected)
            raise EtlError(f"no input file could be read: {reasons}")
        months = _MonthStore(con, store)
        say(f"duplicates and daily delay sums of {len(months.files)} month(s)")
        months.summarise()
        result.counts = count_duplicates(result.counts, months.duplicates)
        out_dir.mkdir(parents=True, exist_ok=True)
        started, total = time.perf_counter(), len(months.files)
        say(f"pass 2: features of {result.counts.get('kept', 0):,} kept rows in {total} month(s)")
        for n, month in enumerate(sorted(months.files), start=1):
            _write_month(con, months, month, out_dir)
            if n % 12 == 0 or n == total:
                say(f"pass 2: {n}/{total} months ({time.perf_counter() - started:.0f} s)")
    except duckdb.Error as exc:
        raise EtlError(f"DuckDB engine failed: {exc}") from exc
    finally:
        con.close()
    return result
