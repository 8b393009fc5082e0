"""Parsing the Object Created event in every shape it arrives in."""

import io

import pytest
from helpers import load_event
from ingest.logic.ingest import ignore_reason
from ingest.logic.ranged_reader import RangedReader
from ingest.models.events import ObjectCreatedSqsRecord, parse_object_created
from ingest_samples import CountingSource
from pydantic import ValidationError


def test_aws_envelope_is_parsed_with_etag():
    detail = parse_object_created(load_event("s3_object_created"))
    assert (detail.bucket.name, detail.object.key, detail.object.etag) == (
        "airline-dev-raw", "drops/airline.csv", "b1946ac92492d2347c6235b4d2611184",
    )  # fmt: skip


def test_moto_envelope_with_capitalised_etag_is_parsed():
    detail = parse_object_created(load_event("s3_object_created_moto"))
    assert detail.object.etag == "5d41402abc4b2a76b9719d911017c592"


def test_detail_alone_is_accepted_like_the_envelope():
    envelope = load_event("s3_object_created")
    assert parse_object_created(envelope["detail"]) == parse_object_created(envelope)


def test_sqs_record_body_is_parsed_into_the_envelope():
    record = load_event("sqs_s3_object_created")["Records"][0]
    parsed = ObjectCreatedSqsRecord.model_validate(record)
    assert parsed.body.detail.object.key == "drops/airline.csv"


def test_event_without_bucket_is_refused():
    envelope = load_event("s3_object_created")
    del envelope["detail"]["bucket"]
    with pytest.raises(ValidationError):
        parse_object_created(envelope)


def test_quoted_etag_is_unquoted():
    envelope = load_event("s3_object_created")
    envelope["detail"]["object"]["etag"] = '"abc"'
    assert parse_object_created(envelope).object.etag == "abc"


def test_url_encoded_key_offers_the_decoded_key_as_second_candidate():
    envelope = load_event("s3_object_created")
    envelope["detail"]["object"]["key"] = "drops/my+flights%282%29.csv"
    assert parse_object_created(envelope).key_candidates() == ["drops/my+flights%282%29.csv", "drops/my flights(2).csv"]


@pytest.mark.parametrize("key", ["quarantine/drops/x.csv", "quarantine/drops/x.csv.reason.json", "drops/"])
def test_quarantine_keys_and_folder_markers_are_ignored(key):
    assert ignore_reason(key, "quarantine/")


def test_ordinary_key_is_not_ignored():
    assert ignore_reason("drops/quarantine/x.csv", "quarantine/") == ""


def test_ranged_reader_serves_the_same_bytes_as_a_file():
    # Given the same bytes behind a ranged reader with tiny blocks and an in-memory file
    data = bytes(range(256)) * 10
    reader, expected = RangedReader(CountingSource(data).fetch, len(data), block_size=7), io.BytesIO(data)
    # When both seek and read alike
    for handle in (reader, expected):
        handle.seek(-100, io.SEEK_END)
    tail = reader.read(60), expected.read(60)
    reader.seek(5)
    expected.seek(5)
    # Then they return the same bytes, including reads across blocks and past the end
    assert tail[0] == tail[1]
    assert reader.read(1000) == expected.read(1000)
    assert reader.read() == expected.read()
    assert reader.read(5) == b""
