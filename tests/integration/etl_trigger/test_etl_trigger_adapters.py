"""The etl-trigger adapters' guards against moto: conditional writes, missing objects, rejected events."""

from datetime import UTC, datetime, timedelta

import pytest
from airline_shared.events import EtlFailed
from airline_shared.raw_formats import RawFormat
from etl_trigger.adapters.events import EventBridgePublisher
from etl_trigger.adapters.glue import GlueFeaturesCatalog
from etl_trigger.adapters.objects import S3ObjectStore
from etl_trigger.adapters.raw_files import S3RawFiles
from etl_trigger.adapters.runs_table import DynamoRunsStore
from etl_trigger.logic.errors import EventPublishError, FeaturesTableMissingError, ObjectMissingError
from etl_trigger.models.runs import AcceptedFile, FileStatus, RunRecord, RunStatus
from etl_trigger_aws import BUCKET, BUS, DATABASE, RAW_BUCKET, TABLE, Aws

NOW = datetime(2026, 11, 26, 1, 20, tzinfo=UTC)


def accepted(uri: str = "s3://airline-dev-raw/a.csv", etag: str = "e1") -> AcceptedFile:
    return AcceptedFile(uri=uri, etag=etag, size=10, format=RawFormat.ASA, accepted_at=NOW)


def test_lock_is_refused_while_another_run_holds_it(aws: Aws) -> None:
    # Given a lock held by run-1
    store = DynamoRunsStore(TABLE)
    assert store.acquire_lock("run-1", NOW, NOW + timedelta(hours=3))

    # When run-2 tries to take it before expiry, Then it is refused
    assert not store.acquire_lock("run-2", NOW + timedelta(hours=1), NOW + timedelta(hours=4))


def test_expired_lock_can_be_taken_over(aws: Aws) -> None:
    # Given a lock held by run-1 that expired
    store = DynamoRunsStore(TABLE)
    store.acquire_lock("run-1", NOW, NOW + timedelta(hours=3))

    # When run-2 tries after expiry, Then it gets it and run-1 can no longer release it
    assert store.acquire_lock("run-2", NOW + timedelta(hours=4), NOW + timedelta(hours=7))
    assert not store.release_lock("run-1")
    assert store.release_lock("run-2")


def test_same_file_and_etag_is_recorded_once(aws: Aws) -> None:
    # Given a recorded file
    store = DynamoRunsStore(TABLE)
    assert store.record_file(accepted())

    # When it is recorded again with the same etag, Then it is a duplicate
    assert not store.record_file(accepted())
    assert len(store.list_files()) == 1


def test_new_etag_resets_a_published_file_to_pending(aws: Aws) -> None:
    # Given a published file
    store = DynamoRunsStore(TABLE)
    store.record_file(accepted())
    store.mark_files({"s3://airline-dev-raw/a.csv": "e1"}, "run-1", FileStatus.RUNNING)
    store.mark_files({"s3://airline-dev-raw/a.csv": "e1"}, "run-1", FileStatus.PUBLISHED)

    # When the key is accepted with new content
    assert store.record_file(accepted(etag="e2"))

    # Then it is pending again
    [f] = store.list_files()
    assert (f.status, f.etag) == (FileStatus.PENDING, "e2")


def test_terminal_mark_skips_files_taken_by_another_run(aws: Aws) -> None:
    # Given a file that run-2 took over
    store = DynamoRunsStore(TABLE)
    store.record_file(accepted())
    store.mark_files({"s3://airline-dev-raw/a.csv": "e1"}, "run-2", FileStatus.RUNNING)

    # When run-1 settles as failed
    store.mark_files({"s3://airline-dev-raw/a.csv": "e1"}, "run-1", FileStatus.FAILED)

    # Then the file still belongs to run-2
    [f] = store.list_files()
    assert (f.status, f.run_id) == (FileStatus.RUNNING, "run-2")


def test_run_is_finished_only_once(aws: Aws) -> None:
    # Given a started run
    store = DynamoRunsStore(TABLE)
    started = RunRecord(run_id="run-1", job_run_id="jr_1", inputs_uri="s3://b/runs/run-1/inputs.json",
                        input_count=1, new_files={}, trigger="file", started_at=NOW)  # fmt: skip
    store.put_run(started)

    # When it is finished twice with different outcomes
    store.finish_run(started, RunStatus.SUCCEEDED, NOW, None)
    store.finish_run(started, RunStatus.FAILED, NOW, "late duplicate")

    # Then the first outcome stays
    run = store.get_run("run-1")
    assert run is not None and run.status is RunStatus.SUCCEEDED


def test_missing_object_raises_object_missing(aws: Aws) -> None:
    # Given / When / Then reading an absent summary names it
    with pytest.raises(ObjectMissingError, match=r"_run_summary\.json"):
        S3ObjectStore().read_json(f"s3://{BUCKET}/features/snapshots/x/_run_summary.json")


def test_missing_features_table_raises_a_clear_error(aws: Aws) -> None:
    # Given a catalog without the table
    aws.glue.delete_table(DatabaseName=DATABASE, Name="features")

    # When / Then repointing it says which table is missing
    with pytest.raises(FeaturesTableMissingError, match=f"{DATABASE}.features"):
        GlueFeaturesCatalog(DATABASE, "features").point_features_table(f"s3://{BUCKET}/features/snapshots/r/")


def test_event_for_an_absent_bus_is_reported(aws: Aws) -> None:
    # Given a publisher aimed at a bus that does not exist
    publisher = EventBridgePublisher(f"{BUS}-missing")
    detail = EtlFailed(run_id="r", state="FAILED", reason="boom", input_files=[], failed_at=NOW)

    # When / Then the rejection is raised, not lost
    with pytest.raises(EventPublishError, match="EtlFailed"):
        publisher.publish(detail)


def test_excluded_file_keeps_its_reason_and_is_recorded_again_when_reaccepted(aws: Aws) -> None:
    # Given a file a run rejected
    store = DynamoRunsStore(TABLE)
    store.record_file(accepted())
    assert store.exclude_file("s3://airline-dev-raw/a.csv", "e1", FileStatus.REJECTED, "line 3: 4 fields", "run-1")
    [rejected] = store.list_files()
    assert (rejected.status, rejected.reason) == (FileStatus.REJECTED, "line 3: 4 fields")

    # When ingest accepts the key again (even the same bytes), Then it is pending again, without the old reason
    assert store.record_file(accepted())
    [again] = store.list_files()
    assert (again.status, again.reason) == (FileStatus.PENDING, None)


def test_exclusion_of_an_outdated_etag_leaves_the_new_version_alone(aws: Aws) -> None:
    # Given a key re-accepted with new content after the run read the old one
    store = DynamoRunsStore(TABLE)
    store.record_file(accepted(etag="e2"))

    # When the run's rejection of the old etag is recorded, Then nothing changes
    assert not store.exclude_file("s3://airline-dev-raw/a.csv", "e1", FileStatus.REJECTED, "bad", "run-1")
    assert store.list_files()[0].status is FileStatus.PENDING


def test_raw_file_exists_until_deleted(aws: Aws) -> None:
    # Given a raw object
    raw = S3RawFiles()
    aws.put_raw("drops/a.csv")
    assert raw.exists(f"s3://{RAW_BUCKET}/drops/a.csv")

    # When it is deleted, Then HeadObject's 404 reads as "gone"
    aws.s3.delete_object(Bucket=RAW_BUCKET, Key="drops/a.csv")
    assert not raw.exists(f"s3://{RAW_BUCKET}/drops/a.csv")


def test_quarantine_copy_is_of_that_etag_only(aws: Aws) -> None:
    # Given a raw object, then an overwrite, then a deleted one
    raw = S3RawFiles()
    first = aws.put_raw("drops/a.csv", b"first")
    uri = f"s3://{RAW_BUCKET}/drops/a.csv"

    # Then: the exact version is copied; an outdated etag copies nothing; a deleted object reads as missing
    assert raw.copy_to_quarantine(uri, first, "quarantine/drops/a.csv") == "copied"
    assert aws.s3.get_object(Bucket=RAW_BUCKET, Key="quarantine/drops/a.csv")["Body"].read() == b"first"
    aws.put_raw("drops/a.csv", b"second")
    assert raw.copy_to_quarantine(uri, first, "quarantine/drops/a2.csv") == "changed"
    aws.s3.delete_object(Bucket=RAW_BUCKET, Key="drops/a.csv")
    assert raw.copy_to_quarantine(uri, first, "quarantine/drops/a3.csv") == "missing"
    assert aws.raw_keys() == ["quarantine/drops/a.csv"]
