"""The etl-trigger Lambda handlers end to end on moto (S3, DynamoDB, Glue, EventBridge -> SQS)."""

import copy
import json
from types import SimpleNamespace
from typing import Any

import boto3
from etl_trigger_aws import BUCKET, DATABASE, JOB, RAW_BUCKET, Aws, sqs_event
from helpers import load_event

RAW = RAW_BUCKET


def raw_accepted(key: str, etag: str | None = None, fmt: str = "asa") -> dict[str, Any]:
    """The real RawFileAccepted fixture for another key, whose object is put in the raw bucket
    (etag: the object's own unless given)."""
    put = boto3.client("s3").put_object(Bucket=RAW, Key=key, Body=key.encode())
    envelope = load_event("raw_file_accepted")
    envelope["detail"].update(key=key, etag=etag or put["ETag"].strip('"'), format=fmt)
    return envelope


def glue_event(fixture: str, job_run_id: str) -> dict[str, Any]:
    """The real SQS-wrapped Glue state-change fixture, for a run moto knows."""
    event = load_event(fixture)
    [record] = event["Records"]
    body = load_event(fixture.removeprefix("sqs_"))
    body["detail"]["jobRunId"] = job_run_id
    record["body"] = json.dumps(body)
    return event


def start_one_run(aws: Aws, handlers: SimpleNamespace, lambda_context: Any, *keys: str) -> dict[str, Any]:
    """Deliver RawFileAccepted for keys and return the moto job run it started."""
    handlers.raw_files_accepted.lambda_handler(sqs_event(*(raw_accepted(k) for k in keys)), lambda_context)
    [run] = aws.job_runs()
    return run


def test_batch_of_files_starts_one_glue_run_with_the_contract_arguments(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any
) -> None:
    # Given the real SQS batch of three RawFileAccepted events, for files in the raw bucket
    event = load_event("sqs_raw_file_accepted_batch")
    for key in ("drops/On_Time_2008_1.zip", "drops/airline.csv.shuffle", "drops/carriers.csv"):
        aws.put_raw(key)

    # When the handler processes it
    response = handlers.raw_files_accepted.lambda_handler(event, lambda_context)

    # Then one Glue run starts over all three files, with the contract arguments
    assert response == {"batchItemFailures": []}
    [run] = aws.job_runs()
    run_id = run["Arguments"]["--run_id"]
    assert run["Arguments"]["--inputs_uri"] == f"s3://{BUCKET}/runs/{run_id}/inputs.json"
    assert run["Arguments"]["--features_root"] == f"s3://{BUCKET}/features/"
    assert aws.read_json(f"runs/{run_id}/inputs.json") == [
        f"s3://{RAW}/drops/On_Time_2008_1.zip", f"s3://{RAW}/drops/airline.csv.shuffle", f"s3://{RAW}/drops/carriers.csv",
    ]  # fmt: skip
    assert {i["status"] for i in aws.file_items().values()} == {"running"}


def test_malformed_record_is_reported_and_the_others_still_start_a_run(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any
) -> None:
    # Given a batch where one record lacks its etag
    bad = raw_accepted("drops/bad.csv")
    del bad["detail"]["etag"]
    event = sqs_event(raw_accepted("drops/a.csv"), bad)

    # When the handler processes it
    response = handlers.raw_files_accepted.lambda_handler(event, lambda_context)

    # Then only the bad record goes back to SQS (then the DLQ); the good file runs
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][1]["messageId"]}]}
    assert list(aws.file_items()) == [f"s3://{RAW}/drops/a.csv"]
    assert len(aws.job_runs()) == 1


def test_files_arriving_during_a_run_stay_pending(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any, glue_runs_stay_running: None
) -> None:
    # Given a run in flight
    start_one_run(aws, handlers, lambda_context, "drops/a.csv")

    # When another file arrives
    handlers.raw_files_accepted.lambda_handler(sqs_event(raw_accepted("drops/b.csv", etag="e2")), lambda_context)

    # Then Glue still has one run and the new file waits
    assert len(aws.job_runs()) == 1
    assert aws.file_items()[f"s3://{RAW}/drops/b.csv"]["status"] == "pending"


def test_glue_concurrency_limit_leaves_the_file_pending(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any, glue_runs_stay_running: None
) -> None:
    # Given the job already running, started outside etl-trigger
    aws.glue.start_job_run(JobName=JOB)

    # When a file arrives
    handlers.raw_files_accepted.lambda_handler(sqs_event(raw_accepted("drops/a.csv")), lambda_context)

    # Then Glue's ConcurrentRunsExceededException leaves it pending and the lock free
    assert len(aws.job_runs()) == 1
    assert aws.file_items()[f"s3://{RAW}/drops/a.csv"]["status"] == "pending"
    assert aws.lock() is None


def test_succeeded_run_emits_features_ready_on_the_custom_bus(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any
) -> None:
    # Given a started run whose job wrote its summary
    run = start_one_run(aws, handlers, lambda_context, "drops/a.csv")
    run_id = run["Arguments"]["--run_id"]
    aws.put_json(f"features/snapshots/{run_id}/_run_summary.json", {
        "run_id": run_id, "engine": "spark", "input_files": [f"s3://{RAW}/drops/a.csv"], "lookup_files": [],
        "rows_read": 10, "rows_kept": 9, "rows_written": 9, "dropped": {"cancelled": 1},
        "partitions": ["year=2008/month=01"], "seconds": 1.5,
    })  # fmt: skip

    # When the SUCCEEDED state change arrives through SQS
    response = handlers.glue_state_change.lambda_handler(
        glue_event("sqs_glue_job_state_change_succeeded", run["Id"]), lambda_context
    )

    # Then FeaturesReady is on the bus with the snapshot, partitions and rows, and the lock is free
    assert response == {"batchItemFailures": []}
    [emitted] = aws.emitted()
    assert (emitted["source"], emitted["detail-type"]) == ("airline.etl", "FeaturesReady")
    assert emitted["detail"]["features_uri"] == f"s3://{BUCKET}/features/snapshots/{run_id}/"
    assert (emitted["detail"]["partitions"], emitted["detail"]["rows_written"]) == (["year=2008/month=01"], 9)
    assert aws.lock() is None


def test_succeeded_run_repoints_the_athena_features_table(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any
) -> None:
    # Given a started run with its summary
    run = start_one_run(aws, handlers, lambda_context, "drops/a.csv")
    run_id = run["Arguments"]["--run_id"]
    aws.put_json(
        f"features/snapshots/{run_id}/_run_summary.json", {"rows_read": 1, "rows_written": 1, "partitions": []}
    )

    # When it succeeds
    handlers.glue_state_change.lambda_handler(
        glue_event("sqs_glue_job_state_change_succeeded", run["Id"]), lambda_context
    )

    # Then the projection template points at that snapshot
    table = aws.glue.get_table(DatabaseName=DATABASE, Name="features")["Table"]
    snapshot = f"s3://{BUCKET}/features/snapshots/{run_id}/"
    assert table["StorageDescriptor"]["Location"] == snapshot
    assert table["Parameters"]["storage.location.template"] == snapshot + "year=${year}/month=${month}/"
    assert table["Parameters"]["projection.enabled"] == "true"


def test_failed_run_emits_etl_failed_with_the_glue_message(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any
) -> None:
    # Given a started run
    run = start_one_run(aws, handlers, lambda_context, "drops/a.csv")

    # When the FAILED state change arrives
    handlers.glue_state_change.lambda_handler(glue_event("sqs_glue_job_state_change_failed", run["Id"]), lambda_context)

    # Then EtlFailed carries Glue's message and the run's inputs
    [emitted] = aws.emitted()
    assert emitted["detail-type"] == "EtlFailed"
    assert emitted["detail"]["state"] == "FAILED"
    assert emitted["detail"]["reason"].startswith("AnalysisException")
    assert emitted["detail"]["input_files"] == [f"s3://{RAW}/drops/a.csv"]


def test_finished_run_starts_the_next_one_for_pending_files(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any, glue_runs_end_after_two_describes: None
) -> None:
    # Given a run in flight, a file that waited, then the run ends in Glue
    run = start_one_run(aws, handlers, lambda_context, "drops/a.csv")
    handlers.raw_files_accepted.lambda_handler(sqs_event(raw_accepted("drops/b.csv", etag="e2")), lambda_context)
    assert len(aws.job_runs()) == 1
    assert aws.glue.get_job_run(JobName=JOB, RunId=run["Id"])["JobRun"]["JobRunState"] == "SUCCEEDED"
    run_id = run["Arguments"]["--run_id"]
    aws.put_json(
        f"features/snapshots/{run_id}/_run_summary.json", {"rows_read": 1, "rows_written": 1, "partitions": []}
    )

    # When its SUCCEEDED event arrives
    handlers.glue_state_change.lambda_handler(
        glue_event("sqs_glue_job_state_change_succeeded", run["Id"]), lambda_context
    )

    # Then a second run starts over both files
    runs = aws.job_runs()
    assert len(runs) == 2
    second_run_id = next(r["Arguments"]["--run_id"] for r in runs if r["Id"] != run["Id"])
    assert aws.read_json(f"runs/{second_run_id}/inputs.json") == [f"s3://{RAW}/drops/a.csv", f"s3://{RAW}/drops/b.csv"]


def test_schedule_starts_a_run_for_files_not_yet_in_a_good_run(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any
) -> None:
    # Given a file whose run failed
    run = start_one_run(aws, handlers, lambda_context, "drops/a.csv")
    handlers.glue_state_change.lambda_handler(glue_event("sqs_glue_job_state_change_failed", run["Id"]), lambda_context)

    # When the daily schedule fires
    outcome = handlers.schedule.lambda_handler(load_event("scheduled_event_etl_daily"), lambda_context)

    # Then the file is retried in a new run
    assert outcome["started"] is True
    assert len(aws.job_runs()) == 2


def test_schedule_does_nothing_without_new_files(aws: Aws, handlers: SimpleNamespace, lambda_context: Any) -> None:
    # Given no accepted file
    # When the daily schedule fires
    outcome = handlers.schedule.lambda_handler(copy.deepcopy(load_event("scheduled_event_etl_daily")), lambda_context)

    # Then nothing starts
    assert (outcome["started"], outcome["reason"]) == (False, "nothing_pending")
    assert aws.job_runs() == []
