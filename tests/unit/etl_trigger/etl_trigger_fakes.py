"""Helpers of the etl-trigger unit tests: in-memory fakes of the etl-trigger ports (same guard semantics as the DynamoDB/Glue adapters)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from airline_shared.events import EventDetail
from etl_trigger.logic.errors import GlueConcurrencyLimitError, ObjectMissingError
from etl_trigger.logic.ports import CopyResult, TriggerDeps
from etl_trigger.models.runs import AcceptedFile, FileStatus, QuarantineNote, RunRecord, RunStatus

JOB = "airline-dev-features"
BUCKET = "airline-dev-processed"
T0 = datetime(2026, 11, 26, 1, 20, tzinfo=UTC)


class FakeRunsStore:
    def __init__(self) -> None:
        self.files: dict[str, AcceptedFile] = {}
        self.lock: tuple[str, datetime] | None = None
        self.runs: dict[str, RunRecord] = {}

    def record_file(self, file: AcceptedFile) -> bool:
        known = self.files.get(file.uri)
        if known is not None and known.etag == file.etag and not known.status.is_excluded:
            return False
        self.files[file.uri] = file
        return True

    def list_files(self) -> list[AcceptedFile]:
        return list(self.files.values())

    def mark_files(self, files: Mapping[str, str], run_id: str, status: FileStatus) -> None:
        terminal = status in (FileStatus.PUBLISHED, FileStatus.FAILED)
        for uri, etag in files.items():
            f = self.files.get(uri)
            if f is None or f.etag != etag or (terminal and f.run_id != run_id):
                continue
            self.files[uri] = f.model_copy(update={"status": status, "run_id": run_id})

    def acquire_lock(self, run_id: str, now: datetime, expires_at: datetime) -> bool:
        if self.lock is not None and self.lock[1] >= now:
            return False
        self.lock = (run_id, expires_at)
        return True

    def release_lock(self, run_id: str) -> bool:
        if self.lock is None or self.lock[0] != run_id:
            return False
        self.lock = None
        return True

    def put_run(self, run: RunRecord) -> None:
        self.runs[run.run_id] = run

    def get_run(self, run_id: str) -> RunRecord | None:
        return self.runs.get(run_id)

    def finish_run(self, run: RunRecord, status: RunStatus, finished_at: datetime, reason: str | None) -> None:
        stored = self.runs.get(run.run_id)
        if stored is not None and stored.status is RunStatus.RUNNING:
            self.runs[run.run_id] = run.model_copy(
                update={"status": status, "finished_at": finished_at, "reason": reason}
            )

    def exclude_file(self, uri: str, etag: str, status: FileStatus, reason: str, run_id: str) -> bool:
        f = self.files.get(uri)
        if f is None or f.etag != etag:
            return False
        self.files[uri] = f.model_copy(update={"status": status, "run_id": run_id, "reason": reason})
        return True


class FakeObjectStore:
    def __init__(self) -> None:
        self.objects: dict[str, Any] = {}

    def write_json(self, uri: str, data: Any) -> None:
        self.objects[uri] = data

    def read_json(self, uri: str) -> Any:
        if uri not in self.objects:
            raise ObjectMissingError(f"{uri} does not exist")
        return self.objects[uri]


class FakeRawFiles:
    """The raw bucket: every object exists with the etag it was accepted with unless deleted or overwritten."""

    def __init__(self) -> None:
        self.deleted: set[str] = set()
        self.overwritten: set[str] = set()
        self.copies: dict[str, tuple[str, str]] = {}  # quarantine key -> (original uri, etag)
        self.notes: dict[str, QuarantineNote] = {}  # note key -> note

    def exists(self, uri: str) -> bool:
        return uri not in self.deleted

    def copy_to_quarantine(self, uri: str, etag: str, quarantine_key: str) -> CopyResult:
        if uri in self.deleted:
            return "missing"
        if uri in self.overwritten:
            return "changed"
        self.copies[quarantine_key] = (uri, etag)
        return "copied"

    def write_note(self, uri: str, note_key: str, note: QuarantineNote) -> None:
        self.notes[note_key] = note


class FakeGlue:
    """Glue with MaxConcurrentRuns = 1: a started run counts as running until `finish` is called."""

    def __init__(self) -> None:
        self.started: list[tuple[str, dict[str, str]]] = []
        self.running: set[str] = set()
        self.arguments: dict[str, dict[str, str]] = {}
        self.fail_with: Exception | None = None

    def start_job_run(self, job_name: str, arguments: Mapping[str, str]) -> str:
        if self.fail_with is not None:
            raise self.fail_with
        if self.running:
            raise GlueConcurrencyLimitError(f"Glue job {job_name} is already running")
        job_run_id = f"jr_{len(self.started) + 1:064d}"
        self.started.append((job_name, dict(arguments)))
        self.running.add(job_run_id)
        self.arguments[job_run_id] = dict(arguments)
        return job_run_id

    def get_job_run_arguments(self, job_name: str, job_run_id: str) -> dict[str, str]:
        return self.arguments[job_run_id]

    def finish(self, job_run_id: str) -> None:
        self.running.discard(job_run_id)


@dataclass
class FakeEvents:
    published: list[EventDetail] = field(default_factory=list)

    def publish(self, detail: EventDetail) -> None:
        self.published.append(detail)


@dataclass
class FakeCatalog:
    locations: list[str] = field(default_factory=list)

    def point_features_table(self, location: str) -> None:
        self.locations.append(location)


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class World:
    """The fakes plus the deps built on them."""

    runs: FakeRunsStore
    objects: FakeObjectStore
    glue: FakeGlue
    events: FakeEvents
    catalog: FakeCatalog
    clock: Clock
    raw_files: FakeRawFiles
    deps: TriggerDeps


def glue_change(
    job_run_id: str, state: str = "SUCCEEDED", job: str = JOB, message: str | None = None
) -> dict[str, Any]:
    """A "Glue Job State Change" envelope as AWS shapes it."""
    detail: dict[str, Any] = {"jobName": job, "severity": "INFO", "state": state, "jobRunId": job_run_id}
    if message is not None:
        detail["message"] = message
    return {
        "version": "0", "id": "a1b2c3d4-0000-4f6e-9c1a-5f3e2d1c0b01", "detail-type": "Glue Job State Change",
        "source": "aws.glue", "account": "123456789012", "time": "2026-11-26T01:31:15Z", "region": "us-east-1",
        "resources": [], "detail": detail,
    }  # fmt: skip


def write_summary(world: World, run_id: str, **overrides: Any) -> dict[str, Any]:
    """Put the run summary the Glue job writes next to its snapshot."""
    summary = {
        "run_id": run_id, "rows_read": 1200, "rows_written": 1100,
        "partitions": ["year=2008/month=01", "year=2008/month=02"],
        "input_files": ["s3://airline-dev-raw/a.csv"], "dropped": {"cancelled": 100},
    }  # fmt: skip
    summary.update(overrides)
    world.objects.objects[f"s3://{BUCKET}/features/snapshots/{run_id}/_run_summary.json"] = summary
    return summary
