"""Raw input files: recognise the layout from the header and expand zips, before any engine runs."""

import csv
import gzip
import io
import shutil
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from airline_shared.raw_formats import ASA_NULL, BTS_SIGNATURE, BTS_TO_ASA, CARRIERS_COLUMNS, RawFormat

from etl_job.definition import (
    CANONICAL_SOURCE_COLUMNS,
    OPTIONAL_SOURCE_COLUMNS,
    asa_date_parts,
    asa_date_text_sql,
    bts_date_text_sql,
    normalise_sql,
)
from etl_job.models import InputFormatError, RejectedFile

#: Null markers in raw CSVs (ASA writes NA, BTS leaves the field empty).
NULL_STRINGS: tuple[str, ...] = (ASA_NULL, "")
#: Raw CSVs are read as latin-1: every byte decodes, and all codes we use are ASCII.
ENCODING = "latin-1"
_ASA_DATE_COLUMNS = ("Year", "Month", "DayofMonth")
_ASA_TO_BTS = {asa: bts for bts, asa in BTS_TO_ASA.items()}
#: Per flight layout: canonical (ASA) name -> the file's column, for every column the layout is read from.
_SOURCE_COLUMNS: Mapping[RawFormat, Mapping[str, str]] = {
    RawFormat.ASA: {name: name for name in (*CANONICAL_SOURCE_COLUMNS, *_ASA_DATE_COLUMNS)},
    RawFormat.BTS: {name: _ASA_TO_BTS[name] for name in CANONICAL_SOURCE_COLUMNS},
}


@dataclass(frozen=True)
class RawInput:
    """One CSV (plain or .gz; local path or s3:// URI) an engine reads, with its header and layout."""

    path: str
    format: RawFormat
    columns: tuple[str, ...]
    source: str | None = None  # the file the run was given, when this CSV was expanded from it (a zip)

    def normalise_sql(self, view: str) -> str:
        """The canonical projection of this file registered as `view` (all columns VARCHAR)."""
        present = set(self.columns)
        mapping = _SOURCE_COLUMNS[self.format]
        if self.format is RawFormat.ASA:
            date_sql, trimmed = asa_date_text_sql(), asa_date_parts(mapping)
        else:
            date_sql, trimmed = bts_date_text_sql("FlightDate"), {}
        resolved: dict[str, str | None] = {k: (v if v in present else None) for k, v in mapping.items()}
        return normalise_sql(view, resolved, date_sql, trimmed)


def _header_names(row: list[str]) -> tuple[str, ...]:
    """Trimmed header names; empty (e.g. trailing) names become `_unnamed_<i>`."""
    return tuple(name.strip() or f"_unnamed_{i}" for i, name in enumerate(row))


def read_header(path: Path) -> tuple[str, ...]:
    """The CSV header of a plain or gzip file; empty trailing names become `_unnamed_<i>`."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding=ENCODING, newline="") as handle:
        row = next(csv.reader(handle), None)
    if not row:
        raise InputFormatError(f"{path}: empty file, expected a CSV header")
    return _header_names(row)


def header_from_bytes(head: bytes) -> tuple[str, ...]:
    """The CSV header from the first bytes of a plain or gzip file; () when there is none to read."""
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 1 << 16)
        except zlib.error:
            return ()
    return _header_names(next(csv.reader(io.StringIO(head.decode(ENCODING), newline="")), []))


def detect_format(path: Path | str, columns: tuple[str, ...]) -> RawFormat:
    """ASA, BTS or carriers from the column names; raises InputFormatError otherwise."""
    names = set(columns)
    if names >= BTS_SIGNATURE:
        return RawFormat.BTS
    if {"Year", "Month", "DayofMonth", "UniqueCarrier", "Origin", "Dest"} <= names:
        return RawFormat.ASA
    if set(CARRIERS_COLUMNS) <= names:
        return RawFormat.CARRIERS
    raise InputFormatError(f"{path}: header matches no known layout (ASA, BTS, carriers): {list(columns)[:8]}...")


def flight_input(location: Path | str, columns: tuple[str, ...]) -> RawInput | None:
    """The flight input a file with this header is, or None for a carriers lookup (local and Glue paths alike).

    Raises InputFormatError for an unknown layout or a flight file lacking a required column.
    """
    fmt = detect_format(location, columns)
    if fmt is RawFormat.CARRIERS:
        return None
    needed = _SOURCE_COLUMNS[fmt]
    missing = sorted(src for asa, src in needed.items() if asa not in OPTIONAL_SOURCE_COLUMNS and src not in columns)
    if missing:
        raise InputFormatError(f"{location}: {fmt.value} file lacks required columns {missing}")
    return RawInput(str(location), fmt, columns)


def extract_zip_csvs(path: Path, work_dir: Path) -> list[Path]:
    """Stream every CSV member of a zip into work_dir, keeping its base name; raises InputFormatError when none."""
    out: list[Path] = []
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.is_dir() or not member.filename.lower().endswith(".csv"):
                continue
            target = work_dir / f"{path.stem}__{len(out)}" / Path(member.filename).name
            target.parent.mkdir()
            with archive.open(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            out.append(target)
    if not out:
        raise InputFormatError(f"{path}: zip holds no CSV file")
    return out


@dataclass(frozen=True)
class PreparedInputs:
    """What a run reads: flight CSVs (zips expanded), carriers lookups, and the files it must leave out."""

    flights: list[RawInput]
    lookups: list[Path]
    rejected: list[RejectedFile]


def prepare_inputs(paths: list[Path], work_dir: Path) -> PreparedInputs:
    """Flight inputs to read (zips expanded into work_dir), the carriers lookups, and the unusable files.

    A missing, unknown, incomplete or broken file is left out with its reason. Raises InputFormatError
    when no flight file (ASA or BTS) remains, so a run never publishes features from nothing.
    """
    flights: list[RawInput] = []
    lookups: list[Path] = []
    rejected: list[RejectedFile] = []
    for path in paths:
        try:
            if not path.is_file():
                raise InputFormatError(f"{path}: no such file")
            csv_paths = extract_zip_csvs(path, work_dir) if zipfile.is_zipfile(path) else [path]
            headers = [(csv_path, read_header(csv_path)) for csv_path in csv_paths]
            found = [(csv_path, flight_input(csv_path, header)) for csv_path, header in headers]
        except (InputFormatError, zipfile.BadZipFile, OSError, EOFError) as exc:
            rejected.append(RejectedFile(file=str(path), reason=str(exc) or type(exc).__name__))
            continue
        source = None if csv_paths == [path] else str(path)  # a zip's members name the zip
        flights.extend(replace(flight, source=source) for _, flight in found if flight is not None)
        lookups.extend(csv_path for csv_path, flight in found if flight is None)
    if not flights:
        reasons = "".join(f"; {r.file}: {r.reason}" for r in rejected)
        raise InputFormatError(f"no flight file (ASA or BTS) among the inputs{reasons}")
    return PreparedInputs(flights, lookups, rejected)
