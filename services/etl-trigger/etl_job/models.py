"""Run summary and typed errors of a feature-engineering run."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Engine = Literal["duckdb", "spark"]
SUMMARY_FILE = "_run_summary.json"


class EtlError(Exception):
    """Base of every ETL failure; the previous output is left untouched."""


class InputFormatError(EtlError):
    """A raw file is missing, unreadable, of unknown layout or lacks required columns."""


class RejectedFile(BaseModel):
    """A raw file the run left out (the run went on without it); etl-trigger quarantines it."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(min_length=1, description="The input as the run was given it (local path or s3:// URI).")
    reason: str = Field(min_length=1, description="What is wrong, in words a user can act on.")
    row: int | None = Field(default=None, ge=1, description="1-based line of the file where reading failed.")


class RunSummary(BaseModel):
    """What a run read, kept, dropped (per reason) and wrote; saved as `_run_summary.json`."""

    model_config = ConfigDict(extra="forbid")

    run_id: str = Field(min_length=1)
    engine: Engine
    input_files: list[str]
    lookup_files: list[str] = Field(default_factory=list)
    rows_read: int = Field(ge=0)
    rows_kept: int = Field(ge=0)
    rows_written: int = Field(ge=0)
    dropped: dict[str, int]
    partitions: list[str]
    seconds: float = Field(ge=0)
    features_uri: str | None = None
    rejected_files: list[RejectedFile] = Field(default_factory=list)
