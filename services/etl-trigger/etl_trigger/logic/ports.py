"""What the logic needs from the outside world; adapters/ implement these, tests pass in-memory fakes."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol
from uuid import uuid4

from airline_shared.events import EventDetail

from etl_trigger.models.runs import AcceptedFile, FileStatus, QuarantineNote, RunRecord, RunStatus

#: What a quarantine copy found: copied, the original gone (nothing to copy), or overwritten since the run read it.
CopyResult = Literal["copied", "missing", "changed"]


class RunsStore(Protocol):
    def record_file(self, file: AcceptedFile) -> bool:
        """Store `file` as pending unless the same URI+etag is known; True when stored."""
        ...

    def list_files(self) -> list[AcceptedFile]: ...

    def mark_files(self, files: Mapping[str, str], run_id: str, status: FileStatus) -> None:
        """Set status for URI->etag pairs whose etag still matches (terminal statuses: only if run_id matches)."""
        ...

    def acquire_lock(self, run_id: str, now: datetime, expires_at: datetime) -> bool:
        """Take the single run lock (or an expired one); False when another run holds it."""
        ...

    def release_lock(self, run_id: str) -> bool: ...

    def put_run(self, run: RunRecord) -> None: ...

    def get_run(self, run_id: str) -> RunRecord | None: ...

    def finish_run(self, run: RunRecord, status: RunStatus, finished_at: datetime, reason: str | None) -> None:
        """Store `run` with its outcome unless it is no longer RUNNING (a redelivered event)."""
        ...

    def exclude_file(self, uri: str, etag: str, status: FileStatus, reason: str, run_id: str) -> bool:
        """Mark a file REJECTED / MISSING with its reason if its etag still matches (a newer upload is a new file)."""
        ...


class ObjectStore(Protocol):
    def write_json(self, uri: str, data: Any) -> None: ...

    def read_json(self, uri: str) -> Any:
        """Raises ObjectMissingError when there is no such object."""
        ...


class RawFiles(Protocol):
    """The raw bucket(s), addressed by the s3:// URIs ingest accepted."""

    def exists(self, uri: str) -> bool:
        """False when the object is gone (HeadObject 404)."""
        ...

    def copy_to_quarantine(self, uri: str, etag: str, quarantine_key: str) -> CopyResult:
        """Copy that version of `uri` to `quarantine_key` in the same bucket; never deletes the original."""
        ...

    def write_note(self, uri: str, note_key: str, note: QuarantineNote) -> None:
        """Write `note` as JSON at `note_key` in the bucket of `uri`."""
        ...


class GlueJobs(Protocol):
    def start_job_run(self, job_name: str, arguments: Mapping[str, str]) -> str:
        """Returns the job run id; raises GlueConcurrencyLimitError when Glue refuses for concurrency."""
        ...

    def get_job_run_arguments(self, job_name: str, job_run_id: str) -> dict[str, str]: ...


class EventPublisher(Protocol):
    def publish(self, detail: EventDetail) -> None:
        """Raises EventPublishError when the entry is rejected."""
        ...


class FeaturesCatalog(Protocol):
    def point_features_table(self, location: str) -> None:
        """Point the catalog's features table at `location`; raises FeaturesTableMissingError."""
        ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def make_run_id(now: datetime) -> str:
    """Sortable, S3- and Glue-argument-safe run id: `20261126T011300Z-1a2b3c4d`."""
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{uuid4().hex[:8]}"


@dataclass(frozen=True)
class TriggerConfig:
    glue_job_name: str
    processed_bucket: str
    features_prefix: str = "features/"
    runs_prefix: str = "runs/"
    run_lock_ttl_minutes: int = 360
    quarantine_prefix: str = "quarantine/"

    @property
    def features_root(self) -> str:
        return f"s3://{self.processed_bucket}/{self.features_prefix}"

    def inputs_uri(self, run_id: str) -> str:
        return f"s3://{self.processed_bucket}/{self.runs_prefix}{run_id}/inputs.json"

    def snapshot_uri(self, run_id: str) -> str:
        return f"{self.features_root}snapshots/{run_id}/"


@dataclass(frozen=True)
class TriggerDeps:
    """Everything the logic touches; `catalog=None` skips pointing the Athena table (local cloud)."""

    config: TriggerConfig
    runs: RunsStore
    objects: ObjectStore
    glue: GlueJobs
    events: EventPublisher
    raw_files: RawFiles
    catalog: FeaturesCatalog | None = None
    clock: Callable[[], datetime] = utc_now
    new_run_id: Callable[[datetime], str] = field(default=make_run_id)
