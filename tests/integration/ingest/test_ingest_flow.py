"""Ingest end to end on moto: S3 events from moto's own notifications, DynamoDB, EventBridge."""

import copy
import gzip
import importlib
import io
import json
import zipfile
from types import ModuleType

import pytest
from airline_shared.events import RawFileAccepted, RawFileRejected, parse_detail
from airline_shared.raw_formats import ASA_COLUMNS
from helpers import load_event
from ingest.logic.ingest import handle_object_created
from ingest_cloud import BUCKET, IngestCloud

# Direct logic calls have no Lambda context (as in the local cloud); Powertools warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Couldn't determine the remaining time:UserWarning")

HEADER = ",".join(sorted(ASA_COLUMNS))
ROW = ",".join("1" if c not in {"UniqueCarrier", "TailNum", "Origin", "Dest"} else "AA" for c in sorted(ASA_COLUMNS))


def asa_bytes(rows: int = 3) -> bytes:
    return ("\n".join([HEADER] + [ROW] * rows) + "\n").encode()


def events_of(cloud: IngestCloud, detail_type: str) -> list:
    return [
        parse_detail(e["detail-type"], e["detail"]) for e in cloud.emitted_events() if e["detail-type"] == detail_type
    ]


def test_accepted_file_gets_a_manifest_row_and_a_raw_file_accepted_event(cloud: IngestCloud):
    # Given an ASA file dropped in the raw bucket
    envelope = cloud.upload("drops/airline.csv", asa_bytes(rows=3))
    # When ingest handles its Object Created event
    outcome = handle_object_created(envelope, deps=cloud.deps)
    # Then the manifest records it and RawFileAccepted is on the custom bus
    assert outcome.status == "accepted"
    [item] = cloud.manifest_items()
    assert (item["uri"], item["status"], item["format"], item["rows_sampled"]) == (
        f"s3://{BUCKET}/drops/airline.csv", "accepted", "asa", 3,
    )  # fmt: skip
    [event] = events_of(cloud, "RawFileAccepted")
    assert isinstance(event, RawFileAccepted)
    assert (event.key, event.etag, event.size, event.format) == (
        "drops/airline.csv",
        item["etag"],
        len(asa_bytes(3)),
        "asa",
    )


@pytest.mark.parametrize(
    ("name", "wrap", "compression"),
    [
        ("gz", lambda data: gzip.compress(data), "gzip"),
        ("zip", lambda data: _zip({"2008.csv": data}), "zip"),
    ],
)
def test_wrapped_files_are_read_through_ranged_gets(cloud: IngestCloud, name, wrap, compression):
    envelope = cloud.upload(f"drops/airline.{name}", wrap(asa_bytes(rows=5)))
    handle_object_created(envelope, deps=cloud.deps)
    [event] = events_of(cloud, "RawFileAccepted")
    assert (event.compression, event.rows_sampled) == (compression, 5)


def test_bad_file_is_quarantined_with_a_reason_and_the_original_kept(cloud: IngestCloud):
    # Given a file that is no known layout
    data = b"name,age\nalice,30\n"
    envelope = cloud.upload("drops/people.csv", data)
    # When ingest handles it
    outcome = handle_object_created(envelope, deps=cloud.deps)
    # Then a byte-identical copy and a reason sit under quarantine/, the original is still there
    assert (outcome.status, outcome.reason_code) == ("rejected", "unknown_layout")
    assert cloud.body("quarantine/drops/people.csv") == data
    assert cloud.body("drops/people.csv") == data
    note = json.loads(cloud.body("quarantine/drops/people.csv.reason.json"))
    assert (note["code"], note["original_uri"], note["original_kept"]) == (
        "unknown_layout", f"s3://{BUCKET}/drops/people.csv", True,
    )  # fmt: skip
    # And RawFileRejected names the quarantine key and the reason
    [event] = events_of(cloud, "RawFileRejected")
    assert isinstance(event, RawFileRejected)
    assert (event.quarantine_key, event.reason.code) == ("quarantine/drops/people.csv", "unknown_layout")


def test_rejected_file_is_recorded_in_the_manifest_as_rejected(cloud: IngestCloud):
    handle_object_created(cloud.upload("drops/empty.csv", b""), deps=cloud.deps)
    [item] = cloud.manifest_items()
    assert (item["status"], item["reason"]["code"], item["quarantine_key"]) == (
        "rejected", "empty", "quarantine/drops/empty.csv",
    )  # fmt: skip


def test_same_event_twice_gives_one_record_and_one_event(cloud: IngestCloud):
    # Given an accepted file's event
    envelope = cloud.upload("drops/airline.csv", asa_bytes())
    first = handle_object_created(envelope, deps=cloud.deps)
    accepted_at = cloud.manifest_items()[0]["accepted_at"]
    # When the same event is delivered again
    second = handle_object_created(copy.deepcopy(envelope), deps=cloud.deps)
    # Then the stored outcome is returned, nothing is written or emitted again
    assert second == first
    assert [i["accepted_at"] for i in cloud.manifest_items()] == [accepted_at]
    assert len(events_of(cloud, "RawFileAccepted")) == 1


def test_new_version_of_the_same_key_is_ingested_again(cloud: IngestCloud):
    handle_object_created(cloud.upload("drops/airline.csv", asa_bytes(rows=1)), deps=cloud.deps)
    handle_object_created(cloud.upload("drops/airline.csv", asa_bytes(rows=2)), deps=cloud.deps)
    assert [e.rows_sampled for e in events_of(cloud, "RawFileAccepted")] == [1, 2]


def test_quarantine_writes_trigger_no_event_through_the_rule(cloud: IngestCloud):
    # Given a rejected file (its quarantine copy and reason are S3 writes too)
    handle_object_created(cloud.upload("drops/junk.bin", bytes(range(256)) * 10), deps=cloud.deps)
    # Then the rule delivered no Object Created event for the quarantine keys
    assert cloud.drain(cloud.ingest_queue_url) == []
    assert "quarantine/drops/junk.bin.reason.json" in cloud.object_keys()


def test_quarantine_key_event_is_ignored_by_the_code_too(cloud: IngestCloud):
    # Given an Object Created event for a quarantined copy (e.g. a rule deployed without the filter)
    envelope = load_event("s3_object_created")
    envelope["detail"]["bucket"]["name"] = BUCKET
    envelope["detail"]["object"]["key"] = "quarantine/drops/people.csv"
    # When ingest handles it
    outcome = handle_object_created(envelope, deps=cloud.deps)
    # Then nothing is read, recorded, copied or emitted
    assert outcome.status == "ignored"
    assert cloud.manifest_items() == [] and cloud.emitted_events() == [] and cloud.object_keys() == []


def test_aws_shaped_fixture_event_is_ingested(cloud: IngestCloud):
    # Given the AWS-shaped fixture (etag, reason PutObject) pointing at a real object
    cloud.upload("drops/airline.csv", asa_bytes())
    head = cloud.s3.head_object(Bucket=BUCKET, Key="drops/airline.csv")
    envelope = load_event("s3_object_created")
    envelope["detail"]["bucket"]["name"] = BUCKET
    envelope["detail"]["object"].update(
        key="drops/airline.csv", etag=head["ETag"].strip('"'), size=head["ContentLength"]
    )
    # When / Then
    assert handle_object_created(envelope, deps=cloud.deps).status == "accepted"


def test_url_encoded_key_in_the_event_is_resolved(cloud: IngestCloud):
    envelope = cloud.upload("drops/my flights.csv", asa_bytes())
    envelope["detail"]["object"]["key"] = "drops/my+flights.csv"
    outcome = handle_object_created(envelope, deps=cloud.deps)
    assert (outcome.status, outcome.uri) == ("accepted", f"s3://{BUCKET}/drops/my flights.csv")


def test_event_for_an_overwritten_version_is_ignored(cloud: IngestCloud):
    # Given an event whose object was overwritten before ingest ran
    stale = cloud.upload("drops/airline.csv", asa_bytes(rows=1))
    cloud.upload("drops/airline.csv", asa_bytes(rows=2))
    # When the stale event is handled
    outcome = handle_object_created(stale, deps=cloud.deps)
    # Then it is skipped (the newer version's own event does the work)
    assert (outcome.status, cloud.emitted_events()) == ("ignored", [])


def test_handler_processes_an_sqs_batch_and_reports_only_the_bad_record(cloud: IngestCloud, lambda_context):
    # Given a cold-started handler and an SQS batch: one real envelope and one malformed body
    handler = cold_start_handler()
    envelope = cloud.upload("drops/airline.csv", asa_bytes())
    event = load_event("sqs_s3_object_created")
    good = event["Records"][0]
    good["body"] = json.dumps(envelope)
    bad = dict(good, messageId="bad-1", body='{"not": "an s3 event"}')
    event["Records"] = [good, bad]
    # When the Lambda handler runs
    response = handler.lambda_handler(event, lambda_context)
    # Then only the malformed record is reported for retry, and the good one was ingested
    assert response == {"batchItemFailures": [{"itemIdentifier": "bad-1"}]}
    assert len(events_of(cloud, "RawFileAccepted")) == 1


def test_handler_given_the_same_event_twice_in_a_batch_emits_once(cloud: IngestCloud, lambda_context):
    # Given a batch carrying one Object Created event twice (at-least-once delivery)
    handler = cold_start_handler()
    envelope = cloud.upload("drops/airline.csv", asa_bytes())
    event = load_event("sqs_s3_object_created")
    first = dict(event["Records"][0], body=json.dumps(envelope))
    event["Records"] = [first, dict(first, messageId="duplicate")]
    # When the handler runs
    response = handler.lambda_handler(event, lambda_context)
    # Then both records succeed but only one RawFileAccepted exists
    assert response == {"batchItemFailures": []}
    assert len(events_of(cloud, "RawFileAccepted")) == 1


def cold_start_handler() -> ModuleType:
    """(Re)import the handler module so its Logger/Metrics/settings read this test's environment, like a cold start."""
    return importlib.reload(importlib.import_module("ingest.handlers.object_created"))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
