"""Run-state models: accepted files, runs, the Glue job's run summary, and logic outcomes."""

from datetime import datetime
from enum import StrEnum
from typing import Literal

from airline_shared.events import RawFileAccepted, RejectedRawFile
from airline_shared.raw_formats import RawFormat
from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class FileStatus(StrEnum):
    """Where an accepted file stands: not yet in a run, in the run in flight, in a good/failed run."""

    PENDING = "pending"
    RUNNING = "running"
    PUBLISHED = "published"
    FAILED = "failed"
    REJECTED = "rejected"  # a run could not read it: quarantined, left out of every later run
    MISSING = "missing"  # deleted from the raw bucket after it was accepted: left out of every later run

    @property
    def is_excluded(self) -> bool:
        """Rejected and missing files are inputs of no run until ingest accepts the key again."""
        return self in (FileStatus.REJECTED, FileStatus.MISSING)


class RunStatus(StrEnum):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMEOUT = "TIMEOUT"
    STOPPED = "STOPPED"
    ERROR = "ERROR"


class AcceptedFile(BaseModel):
    """One raw file the ingest service accepted; `run_id` is the last run that included it as new."""

    model_config = ConfigDict(frozen=True)

    uri: str = Field(pattern=r"^s3://")
    etag: str = Field(min_length=1)
    size: int = Field(ge=0)
    format: RawFormat
    accepted_at: datetime
    status: FileStatus = FileStatus.PENDING
    run_id: str | None = None
    reason: str | None = None  # why it is rejected / missing

    @classmethod
    def from_event(cls, detail: RawFileAccepted) -> "AcceptedFile":
        return cls(
            uri=f"s3://{detail.bucket}/{detail.key}",
            etag=detail.etag,
            size=detail.size,
            format=detail.format,
            accepted_at=detail.accepted_at,
        )

    @property
    def is_data(self) -> bool:
        """Flight data (ASA/BTS) changes features; a carriers lookup alone does not."""
        return self.format is not RawFormat.CARRIERS


class RunRecord(BaseModel):
    """One started Glue run; `new_files` maps the URIs it picked up from pending to their etag,
    `inputs` every input URI to its etag, `dropped_files` the accepted files left out because they were gone."""

    run_id: str = Field(min_length=1)
    job_run_id: str = Field(min_length=1)
    inputs_uri: str
    input_count: int = Field(ge=0)
    new_files: dict[str, str]
    inputs: dict[str, str] = Field(default_factory=dict)
    dropped_files: list[RejectedRawFile] = Field(default_factory=list)
    trigger: Literal["file", "schedule", "next"]
    started_at: datetime
    status: RunStatus = RunStatus.RUNNING
    finished_at: datetime | None = None
    reason: str | None = None


class SummaryRejectedFile(BaseModel):
    """One entry of the summary's `rejected_files` (etl_job.models.RejectedFile; unknown keys ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    file: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    row: int | None = Field(default=None, ge=1)


class RunSummary(BaseModel):
    """`_run_summary.json` written by the Glue job next to its snapshot (other keys are kept out)."""

    model_config = ConfigDict(extra="ignore")

    rows_read: int = Field(ge=0)
    rows_written: int = Field(ge=0)
    partitions: list[str] = Field(default_factory=list)
    input_files: list[str] = Field(default_factory=list, validation_alias=AliasChoices("input_files", "inputs"))
    rejected_files: list[SummaryRejectedFile] = Field(default_factory=list)


class QuarantineNote(BaseModel):
    """`quarantine/<key>.reason.json` for a file a run left out (same place and spirit as ingest's notes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str
    code: Literal["etl_rejected", "missing"]
    row: int | None = None
    original_uri: str
    quarantine_uri: str | None  # None: the original no longer exists, nothing was copied
    etag: str | None
    run_id: str
    rejected_at: datetime
    original_kept: bool = True
    how_to_retry: str = (
        "Fix the file and upload it again (new content) under a key outside the quarantine prefix; "
        "ingest accepts it and the next run includes it."
    )


class StartOutcome(BaseModel):
    """What an attempt to start a run did, and why."""

    started: bool
    reason: Literal["started", "nothing_pending", "run_in_flight", "glue_concurrency_limit"]
    run_id: str | None = None
    job_run_id: str | None = None
    inputs_uri: str | None = None
    input_count: int = 0
    pending_count: int = 0
    dropped_files: list[str] = Field(default_factory=list)  # accepted files found deleted, left out for good


class AcceptOutcome(BaseModel):
    recorded: int
    duplicates: int
    start: StartOutcome


class StateChangeOutcome(BaseModel):
    action: Literal["ignored", "duplicate", "features_ready", "etl_failed"]
    run_id: str | None = None
    reason: str | None = None
    next_run: StartOutcome | None = None
