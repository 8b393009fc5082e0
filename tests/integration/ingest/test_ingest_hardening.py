"""Issue 15 on moto: the same bytes under a second key, truncated gzip, an oversized second zip member."""

import gzip
import io
import zipfile

import pytest
from airline_shared.events import parse_detail
from airline_shared.raw_formats import ASA_COLUMNS
from ingest.logic.ingest import handle_object_created
from ingest_cloud import BUCKET, IngestCloud

pytestmark = pytest.mark.filterwarnings("ignore:Couldn't determine the remaining time:UserWarning")

HEADER = ",".join(sorted(ASA_COLUMNS))
ROW = ",".join("1" if c not in {"UniqueCarrier", "TailNum", "Origin", "Dest"} else "AA" for c in sorted(ASA_COLUMNS))


def asa_bytes(rows: int = 3) -> bytes:
    return ("\n".join([HEADER] + [ROW] * rows) + "\n").encode()


def accepted_keys(cloud: IngestCloud) -> list[str]:
    events = [parse_detail(e["detail-type"], e["detail"]) for e in cloud.emitted_events()]
    return [e.key for e in events if e.DETAIL_TYPE == "RawFileAccepted"]  # type: ignore[attr-defined]


def test_same_bytes_under_a_second_key_are_recorded_as_a_duplicate_and_not_processed(cloud: IngestCloud):
    # Given a file already accepted
    handle_object_created(cloud.upload("drops/airline.csv", asa_bytes(rows=5)), deps=cloud.deps)
    # When the same bytes arrive under another key
    outcome = handle_object_created(cloud.upload("again/airline-copy.csv", asa_bytes(rows=5)), deps=cloud.deps)
    # Then the copy is a duplicate of the first key, recorded, and no second RawFileAccepted exists
    first = f"s3://{BUCKET}/drops/airline.csv"
    assert (outcome.status, outcome.duplicate_of) == ("duplicate", first)
    records = {i["key"]: i for i in cloud.manifest_items()}
    assert records["again/airline-copy.csv"]["status"] == "duplicate"
    assert records["again/airline-copy.csv"]["duplicate_of"] == first
    assert accepted_keys(cloud) == ["drops/airline.csv"]
    [claim] = cloud.content_claims()
    assert claim["owner_uri"] == first


def test_copy_object_of_an_accepted_file_is_a_duplicate(cloud: IngestCloud):
    handle_object_created(cloud.upload("drops/airline.csv", asa_bytes()), deps=cloud.deps)
    outcome = handle_object_created(cloud.copy("drops/airline.csv", "archive/airline.csv"), deps=cloud.deps)
    assert outcome.status == "duplicate"


def test_different_bytes_under_another_key_are_processed(cloud: IngestCloud):
    handle_object_created(cloud.upload("drops/a.csv", asa_bytes(rows=5)), deps=cloud.deps)
    outcome = handle_object_created(cloud.upload("drops/b.csv", asa_bytes(rows=6)), deps=cloud.deps)
    assert outcome.status == "accepted"
    assert sorted(accepted_keys(cloud)) == ["drops/a.csv", "drops/b.csv"]


def test_copy_of_a_first_file_deleted_since_takes_its_place(cloud: IngestCloud):
    # Given an accepted file, a copy of it arriving, and the first deleted before the copy is ingested
    handle_object_created(cloud.upload("drops/airline.csv", asa_bytes()), deps=cloud.deps)
    copy_event = cloud.upload("moved/airline.csv", asa_bytes())
    cloud.s3.delete_object(Bucket=BUCKET, Key="drops/airline.csv")
    # When the copy is ingested
    outcome = handle_object_created(copy_event, deps=cloud.deps)
    # Then it is accepted (its bytes are nowhere else) and owns the content identity
    assert outcome.status == "accepted"
    [claim] = cloud.content_claims()
    assert claim["owner_uri"] == f"s3://{BUCKET}/moved/airline.csv"


def test_truncated_gzip_is_quarantined_at_ingest(cloud: IngestCloud):
    # Given a gzip whose tail was lost (the first 1,000 rows are fine)
    data = gzip.compress(asa_bytes(rows=5000))[:-50]
    # When ingest handles it
    outcome = handle_object_created(cloud.upload("drops/airline.csv.gz", data), deps=cloud.deps)
    # Then it is quarantined with a reason saying it is truncated, and never reaches the ETL
    assert (outcome.status, outcome.reason_code) == ("rejected", "unreadable")
    assert "truncated" in outcome.detail
    assert cloud.body("quarantine/drops/airline.csv.gz") == data
    assert accepted_keys(cloud) == []


def test_zip_with_an_oversized_second_member_is_quarantined_naming_it(cloud: IngestCloud):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("good.csv", asa_bytes(rows=5))
        archive.writestr("second.csv", b"0" * 20_000_000)
    outcome = handle_object_created(cloud.upload("drops/bomb.zip", buffer.getvalue()), deps=cloud.deps)
    assert (outcome.status, outcome.reason_code) == ("rejected", "archive_too_large")
    assert "second.csv" in outcome.detail
