"""Decide what a raw file is from its content (never its name), reading only a bounded prefix.

A file is accepted when its header is one of the known layouts (ASA, BTS monthly, carriers
lookup), possibly wrapped in gzip or zip, and its sample rows have the header's width.
Everything else raises `FileRejected` with one of the `RejectionReason` codes.
"""

import csv
import gzip
import io
import re
import zipfile
import zlib
from typing import Literal

from airline_shared.raw_formats import ASA_COLUMNS, BTS_SIGNATURE, CARRIERS_COLUMNS, Compression, RawFormat

from ingest.logic.errors import FileRejected
from ingest.models.files import SniffedFile
from ingest.models.settings import SniffLimits

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # local file header, empty-archive end record
TEXT_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}
CONTROL_BYTES = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D} | {0x7F}))
C1_BYTES = re.compile(rb"[\x80-\x9f]")
MAX_CONTROL_RATIO = 0.01
MAX_BAD_ROW_RATIO = 0.1
READ_CHUNK = 64 * 1024
VERIFY_CHUNK = 1024 * 1024
#: Members smaller than this cannot be a bomb whatever their ratio (a tiny repetitive readme is fine).
RATIO_FLOOR_BYTES = 1024 * 1024
Encoding = Literal["utf-8", "latin-1"]


def sniff_file(stream: io.BufferedIOBase, size: int, limits: SniffLimits) -> SniffedFile:
    """Classify the file behind `stream` (seekable, `size` bytes); raises FileRejected.

    Compressed content is also read to its end (CRC-32 and length checked) when that is within
    `max_verify_bytes` of decompressed data, so a truncated or corrupt file is refused here.
    """
    if size == 0:
        raise FileRejected("empty", "The file is empty (0 bytes).")
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    if magic.startswith(GZIP_MAGIC):
        content = gzip.GzipFile(fileobj=stream, mode="rb")
        sniffed = _sniff_text(content, Compression.GZIP, limits)
        verified = size <= limits.max_verify_bytes and _verify_to_end(
            content, "The gzip stream", size, limits, remaining=limits.max_verify_bytes
        )
        return sniffed.model_copy(update={"integrity_checked": verified})
    if magic in ZIP_MAGICS:
        return _sniff_zip(stream, limits)
    if size > limits.max_uncompressed_bytes:
        raise FileRejected(
            "too_large", f"The file is {size} bytes, above the {limits.max_uncompressed_bytes}-byte limit."
        )
    return _sniff_text(stream, Compression.NONE, limits)


def _sniff_zip(stream: io.BufferedIOBase, limits: SniffLimits) -> SniffedFile:
    """Check every member from the central directory, classify the first CSV, then verify the CSV members."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise FileRejected("unreadable", f"The zip archive cannot be read: {error}.") from error
    entries = [info for info in archive.infolist() if not info.is_dir()]
    _check_zip_members(entries, limits)
    csvs = [info for info in entries if info.filename.lower().endswith(".csv") and "__MACOSX/" not in info.filename]
    if not csvs:
        names = ", ".join(info.filename for info in entries[:5]) or "nothing"
        raise FileRejected("zip_without_csv", f"The zip archive holds no .csv file (it holds {names}).")
    with _open_member(archive, csvs[0]) as content:
        sniffed = _sniff_text(content, Compression.ZIP, limits)
    verified = sum(info.file_size for info in csvs) <= limits.max_verify_bytes
    if verified:  # every CSV the ETL will extract, read to its end: CRC-32 and declared size
        for info in csvs:
            with _open_member(archive, info) as content:
                _verify_to_end(content, info.filename, info.compress_size, limits, remaining=info.file_size + 1)
    return sniffed.model_copy(
        update={"member": csvs[0].filename, "uncompressed_size": csvs[0].file_size, "integrity_checked": verified}
    )


def _check_zip_members(entries: list[zipfile.ZipInfo], limits: SniffLimits) -> None:
    """Size, ratio, path and encryption of every member as the central directory declares them (no data read)."""
    if len(entries) > limits.max_zip_members:
        raise FileRejected(
            "archive_too_large", f"The zip holds {len(entries)} files, above the {limits.max_zip_members}-file limit."
        )
    total, cap = sum(info.file_size for info in entries), min(limits.max_archive_bytes, limits.max_uncompressed_bytes)
    if total > cap:
        raise FileRejected(
            "archive_too_large",
            f"The zip declares {total} uncompressed bytes in {len(entries)} files, above the "
            f"{cap}-byte limit for an archive.",
        )
    for info in entries:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise FileRejected(
                "archive_too_large",
                f"{info.filename} expands {ratio:.0f}:1 ({info.file_size} bytes), above the "
                f"{limits.max_compression_ratio:.0f}:1 limit (zip bomb?).",
            )
        if info.filename.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", info.filename):
            raise FileRejected("unreadable", f"{info.filename} has an absolute or parent-directory path.")
        if info.flag_bits & 0x1:
            raise FileRejected("unreadable", f"{info.filename} is encrypted; upload it without a password.")


def _open_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> io.BufferedIOBase:
    try:
        return archive.open(member)  # type: ignore[return-value]
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError) as error:
        raise FileRejected("unreadable", f"{member.filename} cannot be opened: {error}.") from error


def _verify_to_end(
    content: io.BufferedIOBase, what: str, compressed_size: int, limits: SniffLimits, *, remaining: int
) -> bool:
    """Read the rest of `content` (bounded memory); the decompressor checks CRC-32 and length at the end.

    False when more than `remaining` / `max_verify_bytes` bytes would have to be read (not verified);
    raises FileRejected for a truncated, corrupt or trailing-junk stream, or one expanding like a bomb.
    """
    budget = min(remaining, limits.max_verify_bytes)
    produced = 0
    try:
        while chunk := content.read(VERIFY_CHUNK):
            produced += len(chunk)
            if produced > RATIO_FLOOR_BYTES and produced > limits.max_compression_ratio * compressed_size:
                raise FileRejected(
                    "archive_too_large",
                    f"{what} expands above the {limits.max_compression_ratio:.0f}:1 limit (bomb?).",
                )
            if produced > budget:
                return False
    except EOFError as error:
        raise FileRejected(
            "unreadable", f"{what} ends before its end marker after {produced} more bytes: truncated ({error})."
        ) from error
    except (OSError, zlib.error, zipfile.BadZipFile) as error:  # gzip.BadGzipFile is an OSError
        raise FileRejected("unreadable", f"{what} is corrupt: {error}.") from error
    return True


def _sniff_text(content: io.BufferedIOBase, compression: Compression, limits: SniffLimits) -> SniffedFile:
    sample, complete = _read_sample(content, compression, limits)
    text, encoding = _decode_sample(sample, complete, limits)
    layout, columns, rows = _classify(text, limits)
    return SniffedFile(format=layout, compression=compression, rows_sampled=rows, columns=columns, encoding=encoding)


def _read_sample(content: io.BufferedIOBase, compression: Compression, limits: SniffLimits) -> tuple[bytes, bool]:
    """Read header + `sample_rows` lines, at most `max_sample_bytes`; True when the content ended."""
    buffer = bytearray()
    newlines = 0
    try:
        while len(buffer) < limits.max_sample_bytes and newlines <= limits.sample_rows:
            chunk = content.read(min(READ_CHUNK, limits.max_sample_bytes - len(buffer)))
            if not chunk:
                return bytes(buffer), True
            buffer += chunk
            newlines += chunk.count(b"\n")
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as error:
        raise FileRejected("unreadable", f"The {compression.value} content cannot be decompressed: {error}.") from error
    return bytes(buffer), False


def _decode_sample(sample: bytes, complete: bool, limits: SniffLimits) -> tuple[str, Encoding]:
    """UTF-8 first, Latin-1 only for plausible text; raises FileRejected for binary or other encodings."""
    if not sample.strip():
        raise FileRejected("empty", "The file holds no text (only whitespace or nothing once decompressed).")
    for bom, name in TEXT_BOMS.items():
        if sample.startswith(bom):
            raise FileRejected("undecodable", f"The file is {name} text; save it as UTF-8 (or Latin-1) CSV.")
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    if b"\x00" in sample or controls > MAX_CONTROL_RATIO * len(sample):
        raise FileRejected("binary", "The file is binary data, not CSV text (NUL or control bytes found).")
    if not complete:
        cut = sample.rfind(b"\n")
        if cut < 0:
            raise FileRejected(
                "unknown_layout", f"No line break in the first {limits.max_sample_bytes} bytes: not a CSV file."
            )
        sample = sample[: cut + 1]
    sample = sample.removeprefix(b"\xef\xbb\xbf")
    try:
        return sample.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if C1_BYTES.search(sample):
            raise FileRejected(
                "undecodable",
                f"The file is neither UTF-8 ({error.reason} at byte {error.start}) nor Latin-1 text "
                "(bytes 0x80-0x9F suggest Windows-1252 or another code page); save it as UTF-8.",
            ) from error
        return sample.decode("latin-1"), "latin-1"


def _classify(text: str, limits: SniffLimits) -> tuple[RawFormat, tuple[str, ...], int]:
    """Match the header against the known layouts and check the sampled rows' width."""
    try:
        rows = [row for row in csv.reader(io.StringIO(text)) if any(field.strip() for field in row)]
    except csv.Error as error:
        raise FileRejected("unknown_layout", f"The sample is not valid CSV: {error}.") from error
    if not rows:
        raise FileRejected("empty", "The file holds no values (only separators and blank lines).")
    header = tuple(name.strip() for name in rows[0])
    layout = _layout_of(header)
    sampled = rows[1 : limits.sample_rows + 1]
    if not sampled:
        raise FileRejected("header_only", f"The {layout.value} file has a header but no data rows.")
    misfits = sum(len(row) != len(header) for row in sampled)
    if misfits > MAX_BAD_ROW_RATIO * len(sampled):
        raise FileRejected(
            "unknown_layout",
            f"{misfits} of {len(sampled)} sampled rows do not have the header's {len(header)} fields.",
        )
    return layout, header, len(sampled)


def _layout_of(header: tuple[str, ...]) -> RawFormat:
    names = {name for name in header if name}
    if names >= set(ASA_COLUMNS):
        return RawFormat.ASA
    if names >= BTS_SIGNATURE:
        return RawFormat.BTS
    if names == set(CARRIERS_COLUMNS):
        return RawFormat.CARRIERS
    shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
    missing_asa = sorted(set(ASA_COLUMNS) - names)[:5]
    raise FileRejected(
        "unknown_layout",
        f"Unknown header ({shown}). Expected the ASA layout (all of {len(ASA_COLUMNS)} columns; missing e.g. "
        f"{', '.join(missing_asa)}), a BTS monthly file ({', '.join(sorted(BTS_SIGNATURE))}) or carriers (Code, Description).",
    )
