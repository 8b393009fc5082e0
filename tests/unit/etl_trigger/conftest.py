"""Fixtures of the etl-trigger unit tests (fakes live in etl_trigger_fakes.py)."""

from collections.abc import Callable

import pytest
from airline_shared.events import RawFileAccepted
from airline_shared.raw_formats import Compression, RawFormat
from etl_trigger.logic.ports import TriggerConfig, TriggerDeps
from etl_trigger_fakes import (
    BUCKET,
    JOB,
    T0,
    Clock,
    FakeCatalog,
    FakeEvents,
    FakeGlue,
    FakeObjectStore,
    FakeRawFiles,
    FakeRunsStore,
    World,
)


@pytest.fixture
def world() -> World:
    runs, objects, glue, events, catalog, clock, raw_files = (
        FakeRunsStore(), FakeObjectStore(), FakeGlue(), FakeEvents(), FakeCatalog(), Clock(), FakeRawFiles(),
    )  # fmt: skip
    counter = iter(range(1, 1000))
    deps = TriggerDeps(
        config=TriggerConfig(glue_job_name=JOB, processed_bucket=BUCKET, run_lock_ttl_minutes=360),
        runs=runs, objects=objects, glue=glue, events=events, raw_files=raw_files, catalog=catalog, clock=clock,
        new_run_id=lambda now: f"{now:%Y%m%dT%H%M%SZ}-run{next(counter)}",
    )  # fmt: skip
    return World(runs, objects, glue, events, catalog, clock, raw_files, deps)


@pytest.fixture
def accepted_file() -> Callable[..., RawFileAccepted]:
    """Factory of RawFileAccepted details (shared model), one per key."""

    def make(key: str, fmt: RawFormat = RawFormat.ASA, etag: str = "etag-1") -> RawFileAccepted:
        return RawFileAccepted(
            bucket="airline-dev-raw", key=key, etag=etag, size=1000, format=fmt,
            compression=Compression.NONE, rows_sampled=10, accepted_at=T0,
        )  # fmt: skip

    return make
