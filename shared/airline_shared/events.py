"""Custom EventBridge events: one versioned model per event, with its source and detail-type.

Producers serialise with `put_events_entry`; consumers parse `detail` with the same model.
"""

import json
from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from airline_shared.raw_formats import Compression, RawFormat

SOURCE_INGEST = "airline.ingest"
SOURCE_ETL = "airline.etl"
SOURCE_TRAINER = "airline.trainer"

S3_URI_PATTERN = r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/.*)?$"


def split_s3_uri(uri: str) -> tuple[str, str]:
    """`s3://bucket/key` -> ('bucket', 'key'); the key may be empty (`s3://bucket`). Raises ValueError otherwise."""
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket:
        raise ValueError(f"s3 URI without a bucket: {uri!r}")
    return bucket, key


class EventDetail(BaseModel):
    """Base of every custom event's `detail`; bump `schema_version` on breaking changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    SOURCE: ClassVar[str]
    DETAIL_TYPE: ClassVar[str]
    schema_version: Literal[1] = 1


class RawFileAccepted(EventDetail):
    SOURCE: ClassVar[str] = SOURCE_INGEST
    DETAIL_TYPE: ClassVar[str] = "RawFileAccepted"

    bucket: str = Field(min_length=3)
    key: str = Field(min_length=1)
    etag: str = Field(min_length=1)
    size: int = Field(ge=0)
    format: RawFormat
    compression: Compression
    rows_sampled: int = Field(ge=0)
    accepted_at: datetime


class RejectionReason(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Literal[
        "empty", "header_only", "unknown_layout", "binary", "undecodable",
        "zip_without_csv", "archive_too_large", "unreadable", "too_large",
    ]  # fmt: skip
    message: str = Field(min_length=1)


class RawFileRejected(EventDetail):
    SOURCE: ClassVar[str] = SOURCE_INGEST
    DETAIL_TYPE: ClassVar[str] = "RawFileRejected"

    bucket: str = Field(min_length=3)
    key: str = Field(min_length=1)
    etag: str = Field(min_length=1)
    size: int = Field(ge=0)
    reason: RejectionReason
    quarantine_key: str = Field(min_length=1)
    rejected_at: datetime


class RejectedRawFile(BaseModel):
    """A raw file a run left out: unreadable for the ETL, or deleted after it was accepted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(min_length=1, description="The input as the run was given it (s3:// URI on AWS).")
    reason: str = Field(min_length=1)
    row: int | None = Field(default=None, ge=1, description="1-based line where reading failed, when known.")
    quarantine_key: str | None = Field(
        default=None, description="Key of the quarantined copy in the file's bucket; None when nothing was copied."
    )


class FeaturesReady(EventDetail):
    """Version 2 adds `rejected_files`; version 1 events (without it) still parse."""

    SOURCE: ClassVar[str] = SOURCE_ETL
    DETAIL_TYPE: ClassVar[str] = "FeaturesReady"

    schema_version: Literal[1, 2] = 2  # type: ignore[assignment]
    run_id: str = Field(min_length=1)
    job_run_id: str = Field(min_length=1)
    features_uri: str = Field(pattern=S3_URI_PATTERN)
    partitions: list[str]
    rows_read: int = Field(ge=0)
    rows_written: int = Field(ge=0)
    input_files: list[str]
    completed_at: datetime
    rejected_files: list[RejectedRawFile] = Field(default_factory=list)


class EtlFailed(EventDetail):
    """Version 2 adds `rejected_files`; version 1 events (without it) still parse."""

    SOURCE: ClassVar[str] = SOURCE_ETL
    DETAIL_TYPE: ClassVar[str] = "EtlFailed"

    schema_version: Literal[1, 2] = 2  # type: ignore[assignment]
    run_id: str = Field(min_length=1)
    job_run_id: str | None = None
    state: Literal["FAILED", "TIMEOUT", "STOPPED", "ERROR"]
    reason: str = Field(min_length=1)
    input_files: list[str]
    failed_at: datetime
    rejected_files: list[RejectedRawFile] = Field(default_factory=list)


class ModelUpdated(EventDetail):
    SOURCE: ClassVar[str] = SOURCE_TRAINER
    DETAIL_TYPE: ClassVar[str] = "ModelUpdated"

    version: str = Field(min_length=1)
    bundle_uri: str = Field(pattern=S3_URI_PATTERN)
    metrics: dict[str, float]
    file_hashes: dict[str, str]
    previous_version: str | None = None
    cause: Literal["promoted", "rollback"] = "promoted"
    promoted_at: datetime


class ModelRejected(EventDetail):
    SOURCE: ClassVar[str] = SOURCE_TRAINER
    DETAIL_TYPE: ClassVar[str] = "ModelRejected"

    candidate_version: str = Field(min_length=1)
    champion_version: str | None = None
    candidate_metrics: dict[str, float]
    champion_metrics: dict[str, float]
    tolerance: float = Field(ge=0)
    reason: str = Field(min_length=1)
    rejected_at: datetime


class TrainingFailed(EventDetail):
    SOURCE: ClassVar[str] = SOURCE_TRAINER
    DETAIL_TYPE: ClassVar[str] = "TrainingFailed"

    training_job_name: str = Field(min_length=1)
    status: Literal["Failed", "Stopped", "Invalid"]
    reason: str = Field(min_length=1)
    features_uri: str | None = None
    failed_at: datetime


CUSTOM_EVENTS: tuple[type[EventDetail], ...] = (
    RawFileAccepted, RawFileRejected, FeaturesReady, EtlFailed, ModelUpdated, ModelRejected, TrainingFailed,
)  # fmt: skip


def put_events_entry(detail: EventDetail, event_bus_name: str) -> dict[str, Any]:
    """The PutEvents entry that carries `detail` on `event_bus_name`."""
    return {
        "Source": detail.SOURCE,
        "DetailType": detail.DETAIL_TYPE,
        "Detail": detail.model_dump_json(),
        "EventBusName": event_bus_name,
    }


def event_pattern(*details: type[EventDetail]) -> dict[str, list[str]]:
    """The EventBridge pattern matching the given custom events (for rules and tests)."""
    return {
        "source": sorted({d.SOURCE for d in details}),
        "detail-type": sorted({d.DETAIL_TYPE for d in details}),
    }


def parse_detail(detail_type: str, detail: dict[str, Any] | str) -> EventDetail:
    """Parse a custom event's detail by its detail-type; raises ValueError for unknown types."""
    for model in CUSTOM_EVENTS:
        if detail_type == model.DETAIL_TYPE:
            return model.model_validate(json.loads(detail) if isinstance(detail, str) else detail)
    raise ValueError(f"unknown detail-type {detail_type!r}; expected one of {[m.DETAIL_TYPE for m in CUSTOM_EVENTS]}")
