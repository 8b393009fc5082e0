"""What the sniffer decides about a file, and what ingest records about it."""

from datetime import datetime
from typing import Literal

from airline_shared.events import RejectionReason
from airline_shared.raw_formats import Compression, RawFormat
from pydantic import BaseModel, ConfigDict, Field


class SniffedFile(BaseModel):
    """An accepted file: its layout, wrapper and how many data rows the sample held."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: RawFormat
    compression: Compression
    rows_sampled: int = Field(ge=1)
    columns: tuple[str, ...]
    encoding: Literal["utf-8", "latin-1"]
    member: str | None = None  # the CSV inside a zip
    uncompressed_size: int | None = Field(default=None, ge=0)  # declared by a zip's directory
    integrity_checked: bool = False  # compressed content read to its end (CRC-32 and length verified)


class ManifestRecord(BaseModel):
    """One row of the manifest table, keyed by the object's S3 URI (latest version wins)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    uri: str
    bucket: str
    key: str
    etag: str
    size: int = Field(ge=0)
    status: Literal["accepted", "rejected", "duplicate"]
    format: RawFormat | None = None
    compression: Compression | None = None
    rows_sampled: int = Field(default=0, ge=0)
    accepted_at: datetime | None = None
    rejected_at: datetime | None = None
    reason: RejectionReason | None = None
    quarantine_key: str | None = None
    duplicate_of: str | None = None  # the first object with the same bytes (status "duplicate")
    duplicate_at: datetime | None = None
    integrity_checked: bool | None = None


class ContentClaim(BaseModel):
    """Which object first brought some bytes, by content identity (size + ETag), in the manifest table.

    The identity needs no read of the object: for a single-part upload the ETag is the MD5 of the bytes
    (SSE-S3 buckets); for a multipart upload it is the MD5 of the part MD5s plus the part count, so the
    same bytes match only when uploaded or copied with the same part size. A miss processes the file
    twice (the ETL's row-level dedup still applies); a false match would need an MD5 collision of two
    equally long files, one of them accepted first.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    uri: str = Field(pattern=r"^content:")  # the table's partition key, beside the per-object records
    kind: Literal["content"] = "content"
    owner_uri: str
    bucket: str
    key: str
    etag: str
    size: int = Field(ge=0)
    claimed_at: datetime

    @staticmethod
    def identity(size: int, etag: str) -> str:
        return f"content:{size}:{etag}"


class QuarantineNote(BaseModel):
    """The `<quarantine key>.reason.json` written beside a quarantined copy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str
    code: str
    original_uri: str
    quarantine_uri: str
    etag: str
    size: int
    rejected_at: datetime
    original_kept: bool = True
    how_to_retry: str = "Fix the file and upload it again under a key outside the quarantine prefix."


class IngestOutcome(BaseModel):
    """What happened to one Object Created event (returned, logged, stored by idempotency)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["accepted", "rejected", "ignored", "duplicate"]
    uri: str
    etag: str = ""
    detail: str = ""
    format: RawFormat | None = None
    reason_code: str | None = None
    quarantine_key: str | None = None
    duplicate_of: str | None = None
