"""Run-state models: accepted files, runs, the Glue job's run summary, and logic outcomes."""

from datetime import datetime
from enum import StrEnum
from typing import Literal

from airline_shared.events import RawFileAccepted
from airline_shared.raw_formats import RawFormat
from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class FileStatus(StrEnum):
    """Where an accepted file stands: not yet in a run, in the run in flight, in a good/failed run."""

    PENDING = "pending"
    RUNNING = "running"
    PUBLISHED = "published"
    FAILED = "failed"


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
    """One started Glue run; `new_files` maps the URIs it picked up from pending to their etag."""

    run_id: str = Field(min_length=1)
    job_run_id: str = Field(min_length=1)
    inputs_uri: str
    input_count: int = Field(ge=0)
    new_files: dict[str, str]
    trigger: Literal["file", "schedule", "next"]
    started_at: datetime
    status: RunStatus = RunStatus.RUNNING
    finished_at: datetime | None = None
    reason: str | None = None


class RunSummary(BaseModel):
    """`_run_summary.json` written by the Glue job next to its snapshot (extra keys are kept out)."""

    model_config = ConfigDict(extra="ignore")

    rows_read: int = Field(ge=0)
    rows_written: int = Field(ge=0)
    partitions: list[str] = Field(default_factory=list)
    input_files: list[str] = Field(default_factory=list, validation_alias=AliasChoices("input_files", "inputs"))


class StartOutcome(BaseModel):
    """What an attempt to start a run did, and why."""

    started: bool
    reason: Literal["started", "nothing_pending", "run_in_flight", "glue_concurrency_limit"]
    run_id: str | None = None
    job_run_id: str | None = None
    inputs_uri: str | None = None
    input_count: int = 0
    pending_count: int = 0


class AcceptOutcome(BaseModel):
    recorded: int
    duplicates: int
    start: StartOutcome


class StateChangeOutcome(BaseModel):
    action: Literal["ignored", "duplicate", "features_ready", "etl_failed"]
    run_id: str | None = None
    reason: str | None = None
    next_run: StartOutcome | None = None
