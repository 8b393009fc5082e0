"""Files a run leaves out, end to end on moto: HeadObject 404 before a start, quarantine copies in the raw bucket."""

import json
from types import SimpleNamespace
from typing import Any

from etl_trigger_aws import RAW_BUCKET, Aws, sqs_event
from helpers import load_event

RAW = f"s3://{RAW_BUCKET}"


def accepted(aws: Aws, key: str, body: bytes | None = None) -> dict[str, Any]:
    """Put a raw object and return the RawFileAccepted envelope ingest would emit for it."""
    envelope = load_event("raw_file_accepted")
    envelope["detail"].update(bucket=RAW_BUCKET, key=key, etag=aws.put_raw(key, body), format="asa")
    return envelope


def glue_succeeded(job_run_id: str) -> dict[str, Any]:
    event = load_event("sqs_glue_job_state_change_succeeded")
    body = load_event("glue_job_state_change_succeeded")
    body["detail"]["jobRunId"] = job_run_id
    event["Records"][0]["body"] = json.dumps(body)
    return event


def succeed(aws: Aws, handlers: SimpleNamespace, ctx: Any, run: dict[str, Any], rejected: list[dict]) -> None:
    """Write the run's summary (with `rejected` as rejected_files) and deliver its SUCCEEDED state change."""
    run_id = run["Arguments"]["--run_id"]
    aws.put_json(f"features/snapshots/{run_id}/_run_summary.json", {
        "run_id": run_id, "engine": "spark", "input_files": [], "rows_read": 10, "rows_kept": 9, "rows_written": 9,
        "dropped": {}, "partitions": ["year=2008/month=01"], "seconds": 1.0, "rejected_files": rejected,
    })  # fmt: skip
    assert handlers.glue_state_change.lambda_handler(glue_succeeded(run["Id"]), ctx) == {"batchItemFailures": []}


def test_deleted_accepted_file_does_not_fail_the_next_run_start(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any
) -> None:
    # Given a published file that was then deleted from the raw bucket
    handlers.raw_files_accepted.lambda_handler(sqs_event(accepted(aws, "drops/a.csv")), lambda_context)
    [first] = aws.job_runs()
    succeed(aws, handlers, lambda_context, first, rejected=[])
    aws.s3.delete_object(Bucket=RAW_BUCKET, Key="drops/a.csv")

    # When a new file arrives
    response = handlers.raw_files_accepted.lambda_handler(sqs_event(accepted(aws, "drops/b.csv")), lambda_context)

    # Then a run starts over the files that exist, and the deleted one is recorded, not read
    assert response == {"batchItemFailures": []}
    second = next(r for r in aws.job_runs() if r["Id"] != first["Id"])
    assert aws.read_json(f"runs/{second['Arguments']['--run_id']}/inputs.json") == [f"{RAW}/drops/b.csv"]
    item = aws.file_items()[f"{RAW}/drops/a.csv"]
    assert item["status"] == "missing" and "no longer exists" in item["reason"]
    note = aws.read_raw_json("quarantine/drops/a.csv.reason.json")
    assert (note["code"], note["original_uri"], note["quarantine_uri"]) == ("missing", f"{RAW}/drops/a.csv", None)


def test_rejected_file_is_quarantined_named_in_features_ready_and_left_out_of_the_next_run(
    aws: Aws, handlers: SimpleNamespace, lambda_context: Any
) -> None:
    # Given a run over a good and a bad file, whose summary says it left the bad one out
    bad = b"Year,Month\n2008,1\n2008,1,extra,fields\n"
    handlers.raw_files_accepted.lambda_handler(
        sqs_event(accepted(aws, "drops/good.csv"), accepted(aws, "drops/bad.csv", bad)), lambda_context
    )
    [first] = aws.job_runs()
    reason = "line 3: expected 2 fields, found 4"

    # When the run succeeds
    succeed(
        aws, handlers, lambda_context, first, rejected=[{"file": f"{RAW}/drops/bad.csv", "reason": reason, "row": 3}]
    )

    # Then a byte-identical copy and a reason sit under quarantine/, the original is kept
    assert aws.s3.get_object(Bucket=RAW_BUCKET, Key="quarantine/drops/bad.csv")["Body"].read() == bad
    assert aws.s3.get_object(Bucket=RAW_BUCKET, Key="drops/bad.csv")["Body"].read() == bad
    note = aws.read_raw_json("quarantine/drops/bad.csv.reason.json")
    assert (note["code"], note["reason"], note["row"]) == ("etl_rejected", reason, 3)
    # And FeaturesReady names it
    [features_ready] = [e for e in aws.emitted() if e["detail-type"] == "FeaturesReady"]
    assert features_ready["detail"]["schema_version"] == 2
    assert features_ready["detail"]["rejected_files"] == [
        {"file": f"{RAW}/drops/bad.csv", "reason": reason, "row": 3, "quarantine_key": "quarantine/drops/bad.csv"}
    ]
    # And the next run does not read it again
    assert aws.file_items()[f"{RAW}/drops/bad.csv"]["status"] == "rejected"
    handlers.raw_files_accepted.lambda_handler(sqs_event(accepted(aws, "drops/new.csv")), lambda_context)
    second = next(r for r in aws.job_runs() if r["Id"] != first["Id"])
    assert aws.read_json(f"runs/{second['Arguments']['--run_id']}/inputs.json") == [
        f"{RAW}/drops/good.csv", f"{RAW}/drops/new.csv",
    ]  # fmt: skip
