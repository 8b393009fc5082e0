"""Event contracts: what the ingest service emits parses in etl-trigger's consumer model."""

import json
from datetime import UTC, datetime

from airline_shared.events import (
    SOURCE_INGEST,
    FeaturesReady,
    RawFileAccepted,
    RejectedRawFile,
    parse_detail,
    put_events_entry,
)
from airline_shared.raw_formats import Compression, RawFormat
from etl_job.models import RejectedFile as EtlJobRejectedFile
from etl_job.models import RunSummary as EtlJobRunSummary
from etl_trigger.models.events import RawFileAcceptedEvent
from etl_trigger.models.records import GlueJobStateChangeRecord, RawFileAcceptedRecord
from etl_trigger.models.runs import RunSummary
from helpers import load_event
from trainer.models.incoming import FeaturesReadyEnvelope


def eventbridge_delivery(entry: dict[str, str]) -> dict[str, object]:
    """The envelope EventBridge delivers for a PutEvents entry."""
    return {
        "version": "0", "id": "5d8a2bb0-3c41-4c55-9e4c-1d3c8a3f6a09", "detail-type": entry["DetailType"],
        "source": entry["Source"], "account": "123456789012", "time": "2026-11-26T01:20:02Z",
        "region": "us-east-1", "resources": [], "detail": json.loads(entry["Detail"]),
    }  # fmt: skip


def test_raw_file_accepted_from_the_shared_model_parses_in_the_consumer_model() -> None:
    # Given RawFileAccepted as the ingest service serialises it
    produced = RawFileAccepted(
        bucket="airline-dev-raw", key="drops/On_Time_2008_1.zip", etag="6f1ed002ab5595859014ebf0951522d9",
        size=23_456_789, format=RawFormat.BTS, compression=Compression.ZIP, rows_sampled=1000,
        accepted_at=datetime(2026, 11, 26, 1, 20, tzinfo=UTC),
    )  # fmt: skip
    entry = put_events_entry(produced, "airline-dev")

    # When EventBridge delivers it and etl-trigger parses it
    consumed = RawFileAcceptedEvent.model_validate(eventbridge_delivery(entry))

    # Then the consumer sees exactly what was produced
    assert consumed.detail == produced
    assert consumed.source == SOURCE_INGEST == RawFileAccepted.SOURCE
    assert consumed.detail_type == RawFileAccepted.DETAIL_TYPE


def test_raw_file_accepted_fixture_is_valid_for_the_shared_model() -> None:
    # Given the fixture used by the tests
    envelope = load_event("raw_file_accepted")

    # When it is parsed by the shared contract, Then it round-trips unchanged
    detail = parse_detail(envelope["detail-type"], envelope["detail"])
    assert json.loads(detail.model_dump_json()) == envelope["detail"]


def test_sqs_wrapped_batch_parses_record_by_record() -> None:
    # Given the SQS batch the raw-files queue delivers
    event = load_event("sqs_raw_file_accepted_batch")

    # When each record is parsed with the handler's record model
    records = [RawFileAcceptedRecord.model_validate(r) for r in event["Records"]]

    # Then every body is a RawFileAccepted envelope
    assert [r.body.detail.format for r in records] == [RawFormat.ASA, RawFormat.BTS, RawFormat.CARRIERS]


def test_sqs_wrapped_glue_state_change_parses() -> None:
    # Given the SQS record the glue-state queue delivers
    [raw] = load_event("sqs_glue_job_state_change_succeeded")["Records"]

    # When it is parsed, Then the Glue detail fields are read by their AWS names
    record = GlueJobStateChangeRecord.model_validate(raw)
    assert (record.body.detail.job_name, record.body.detail.state) == ("airline-dev-features", "SUCCEEDED")


def test_glue_job_run_summary_parses_in_the_trigger_summary_model() -> None:
    # Given the run summary the etl_job writes as _run_summary.json
    written = EtlJobRunSummary(
        run_id="20261126T012000Z-1a2b3c4d", engine="spark", input_files=["s3://airline-dev-raw/a.csv"],
        lookup_files=["s3://airline-dev-raw/carriers.csv"], rows_read=1200, rows_kept=1100, rows_written=1100,
        dropped={"cancelled": 100}, partitions=["year=2008/month=01"], seconds=12.5,
    )  # fmt: skip

    # When etl-trigger reads it
    read = RunSummary.model_validate_json(written.model_dump_json())

    # Then the figures FeaturesReady needs come through
    assert (read.rows_read, read.rows_written, read.partitions, read.input_files) == (
        1200, 1100, ["year=2008/month=01"], ["s3://airline-dev-raw/a.csv"],
    )  # fmt: skip


def test_rejected_files_of_the_glue_run_summary_parse_in_the_trigger_summary_model() -> None:
    # Given a run summary naming a file the job left out (etl_job's model)
    written = EtlJobRunSummary(
        run_id="20261126T012000Z-1a2b3c4d", engine="spark", input_files=["s3://airline-dev-raw/a.csv"],
        rows_read=1200, rows_kept=1100, rows_written=1100, dropped={}, partitions=[], seconds=1.0,
        rejected_files=[EtlJobRejectedFile(file="s3://airline-dev-raw/b.csv.gz", reason="truncated gzip", row=None),
                        EtlJobRejectedFile(file="s3://airline-dev-raw/c.csv", reason="31 fields", row=1234)],
    )  # fmt: skip

    # When etl-trigger reads it
    read = RunSummary.model_validate_json(written.model_dump_json())

    # Then every rejected file comes through with its reason and row
    assert [(r.file, r.reason, r.row) for r in read.rejected_files] == [
        ("s3://airline-dev-raw/b.csv.gz", "truncated gzip", None), ("s3://airline-dev-raw/c.csv", "31 fields", 1234),
    ]  # fmt: skip


def test_features_ready_naming_rejected_files_parses_in_the_trainer_model() -> None:
    # Given FeaturesReady as etl-trigger emits it after a run that left a file out
    produced = FeaturesReady(
        run_id="20261126T012000Z-1a2b3c4d", job_run_id="jr_1",
        features_uri="s3://airline-dev-processed-123456789012/features/snapshots/20261126T012000Z-1a2b3c4d/",
        partitions=["year=2008/month=01"], rows_read=1200, rows_written=1100,
        input_files=["s3://airline-dev-raw/a.csv", "s3://airline-dev-raw/c.csv"],
        completed_at=datetime(2026, 11, 26, 1, 30, tzinfo=UTC),
        rejected_files=[RejectedRawFile(file="s3://airline-dev-raw/c.csv", reason="31 fields", row=1234,
                                        quarantine_key="quarantine/c.csv")],
    )  # fmt: skip

    # When EventBridge delivers it to the trainer
    consumed = FeaturesReadyEnvelope.model_validate(eventbridge_delivery(put_events_entry(produced, "airline-dev")))

    # Then the trainer sees exactly what was produced
    assert consumed.detail == produced


def test_features_ready_with_rejected_files_fixture_is_valid_for_the_shared_model() -> None:
    envelope = load_event("features_ready_with_rejected_files")
    detail = parse_detail(envelope["detail-type"], envelope["detail"])
    assert isinstance(detail, FeaturesReady) and detail.rejected_files[0].row == 1234
    assert json.loads(detail.model_dump_json()) == envelope["detail"]
