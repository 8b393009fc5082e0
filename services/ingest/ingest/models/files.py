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


class ManifestRecord(BaseModel):
    """One row of the manifest table, keyed by the object's S3 URI (latest version wins)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    uri: str
    bucket: str
    key: str
    etag: str
    size: int = Field(ge=0)
    status: Literal["accepted", "rejected"]
    format: RawFormat | None = None
    compression: Compression | None = None
    rows_sampled: int = Field(default=0, ge=0)
    accepted_at: datetime | None = None
    rejected_at: datetime | None = None
    reason: RejectionReason | None = None
    quarantine_key: str | None = None


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

    status: Literal["accepted", "rejected", "ignored"]
    uri: str
    etag: str = ""
    detail: str = ""
    format: RawFormat | None = None
    reason_code: str | None = None
    quarantine_key: str | None = None
