"""S3 adapter and Glue entry point of the ETL job, against moto."""

import json
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest
from airline_shared.raw_formats import RawFormat
from etl_job.glue_main import resolve_arguments, run_local_job
from etl_job.models import InputFormatError
from etl_job.run import run_etl
from etl_job.s3io import download_inputs, publish_snapshot, stage_inputs
from etl_rows import asa_row, write_asa_csv
from moto import mock_aws

RAW, PROCESSED = "raw-bucket", "processed-bucket"
ROOT = f"s3://{PROCESSED}/features/"


class RecordingS3:
    """The moto client, remembering the order in which keys were written."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.written: list[str] = []

    def upload_file(self, filename: str, bucket: str, key: str) -> None:
        self.written.append(key)
        self._client.upload_file(filename, bucket, key)

    def put_object(self, **kwargs: Any) -> Any:
        self.written.append(kwargs["Key"])
        return self._client.put_object(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


@pytest.fixture
def s3() -> Any:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=RAW)
        client.create_bucket(Bucket=PROCESSED)
        yield client


def put_inputs(s3: Any, tmp_path: Path, run_id: str = "run-1") -> str:
    """Upload an ASA CSV, a zip holding it (the same two flights again) and carriers.csv; write inputs.json."""
    flights = write_asa_csv(tmp_path / "src" / "flights.csv", [asa_row(), asa_row(FlightNum=2, Month=2)])
    packed = tmp_path / "src" / "flights.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(flights, "inner/flights_feb.csv")
    s3.upload_file(str(flights), RAW, "drop/flights.csv")
    s3.upload_file(str(packed), RAW, "drop/flights.zip")
    s3.put_object(Bucket=RAW, Key="drop/carriers.csv", Body=b'"Code","Description"\n"WN","Southwest"\n')
    uris = [f"s3://{RAW}/drop/flights.csv", f"s3://{RAW}/drop/flights.zip", f"s3://{RAW}/drop/carriers.csv"]
    inputs_uri = f"s3://{PROCESSED}/runs/{run_id}/inputs.json"
    s3.put_object(Bucket=PROCESSED, Key=f"runs/{run_id}/inputs.json", Body=json.dumps(uris).encode())
    return inputs_uri


def read_json(s3: Any, key: str) -> Any:
    return json.loads(s3.get_object(Bucket=PROCESSED, Key=key)["Body"].read())


def test_download_inputs_fetches_every_listed_file(s3, tmp_path):
    # Given a run's inputs.json listing three raw files
    inputs_uri = put_inputs(s3, tmp_path)
    # When
    paths, gone = download_inputs(inputs_uri, tmp_path / "dl", s3)
    # Then
    assert [p.name for p in paths] == ["0000_flights.csv", "0001_flights.zip", "0002_carriers.csv"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert next(iter(paths.values())) == f"s3://{RAW}/drop/flights.csv"
    assert gone == []


def test_a_raw_file_deleted_after_acceptance_is_left_out_with_a_record(s3, tmp_path):
    # Given a run whose inputs list a file deleted since it was accepted
    inputs_uri = put_inputs(s3, tmp_path)
    s3.delete_object(Bucket=RAW, Key="drop/flights.zip")
    # When the local job runs
    summary = run_local_job(
        {"run_id": "run-1", "inputs_uri": inputs_uri, "features_root": ROOT}, None, s3, engine="duckdb"
    )
    # Then the run publishes the other file's flights and names the deleted one by its URI
    assert summary.rows_written == 2
    assert [r.file for r in summary.rejected_files] == [f"s3://{RAW}/drop/flights.zip"]
    assert "no longer exists" in summary.rejected_files[0].reason
    assert read_json(s3, "features/CURRENT.json")["run_id"] == "run-1"


def test_glue_staging_leaves_out_a_deleted_file(s3, tmp_path):
    # Given a deleted raw file among the run's inputs
    put_inputs(s3, tmp_path)
    uris = [f"s3://{RAW}/drop/flights.csv", f"s3://{RAW}/drop/gone.csv"]
    # When
    staged, gone = stage_inputs(uris, f"{ROOT}_staging/run-1/", tmp_path, s3)
    # Then
    assert [r.path for r in staged] == [f"s3://{RAW}/drop/flights.csv"]
    assert [r.file for r in gone] == [f"s3://{RAW}/drop/gone.csv"]


def test_publish_snapshot_uploads_data_then_summary_then_current(s3, tmp_path):
    # Given a locally built features directory
    source = write_asa_csv(tmp_path / "in" / "f.csv", [asa_row()])
    run_etl([source], tmp_path / "out", run_id="run-7")
    recorder = RecordingS3(s3)
    # When
    summary = publish_snapshot(tmp_path / "out", ROOT, "run-7", recorder)
    # Then: data first, the summary after it, CURRENT.json last
    assert recorder.written[-1] == "features/CURRENT.json"
    assert recorder.written[-2] == "features/snapshots/run-7/_run_summary.json"
    assert recorder.written[0] == "features/snapshots/run-7/year=2008/month=01/part-0.parquet"
    snapshot = f"{ROOT}snapshots/run-7/"
    assert read_json(s3, "features/CURRENT.json") == {"run_id": "run-7", "features_uri": snapshot}
    assert read_json(s3, "features/snapshots/run-7/_run_summary.json")["features_uri"] == snapshot
    assert summary.features_uri == snapshot


def test_publish_snapshot_refuses_a_directory_without_summary(s3, tmp_path):
    # Given an empty directory, when / then: nothing is published
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputFormatError, match=r"_run_summary\.json"):
        publish_snapshot(tmp_path / "empty", ROOT, "run-8", s3)
    assert "Contents" not in s3.list_objects_v2(Bucket=PROCESSED, Prefix="features/")


def test_stage_inputs_reads_csv_in_place_and_expands_zips(s3, tmp_path):
    # Given a CSV, a zip and a carriers file in the raw bucket
    put_inputs(s3, tmp_path)
    uris = [f"s3://{RAW}/drop/flights.csv", f"s3://{RAW}/drop/flights.zip", f"s3://{RAW}/drop/carriers.csv"]
    # When
    staged, _ = stage_inputs(uris, f"{ROOT}_staging/run-1/", tmp_path, s3)
    # Then
    assert [(r.path, r.format) for r in staged] == [
        (f"s3://{RAW}/drop/flights.csv", RawFormat.ASA),
        (f"{ROOT}_staging/run-1/0001/0/flights_feb.csv", RawFormat.ASA),
    ]
    assert staged[0].columns[:3] == ("Year", "Month", "DayofMonth")
    s3.head_object(Bucket=PROCESSED, Key="features/_staging/run-1/0001/0/flights_feb.csv")


def test_stage_inputs_keeps_zip_members_that_share_a_base_name(s3, tmp_path):
    # Given a zip with two different CSVs named flights.csv in two folders
    jan = write_asa_csv(tmp_path / "src" / "jan.csv", [asa_row()])
    feb = write_asa_csv(tmp_path / "src" / "feb.csv", [asa_row(Month=2), asa_row(Month=2, FlightNum=2)])
    packed = tmp_path / "src" / "two.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(jan, "jan/flights.csv")
        archive.write(feb, "feb/flights.csv")
    s3.upload_file(str(packed), RAW, "drop/two.zip")
    # When the run stages it
    staged, _ = stage_inputs([f"s3://{RAW}/drop/two.zip"], f"{ROOT}_staging/r/", tmp_path, s3)
    # Then both members are staged, neither overwriting the other
    bodies = [s3.get_object(Bucket=PROCESSED, Key=r.path.split("/", 3)[3])["Body"].read() for r in staged]
    assert bodies == [jan.read_bytes(), feb.read_bytes()]


def test_stage_inputs_rejects_an_unknown_layout(s3, tmp_path):
    # Given a raw file that is not flight data
    s3.put_object(Bucket=RAW, Key="junk.csv", Body=b"a,b\n1,2\n")
    # When / Then
    with pytest.raises(InputFormatError, match="no known layout"):
        stage_inputs([f"s3://{RAW}/junk.csv"], f"{ROOT}_staging/r/", tmp_path, s3)


def test_stage_inputs_rejects_a_flight_file_lacking_a_required_column(s3, tmp_path):
    # Given an ASA file without CRSDepTime (locally this is refused; on Glue it must be too)
    source = write_asa_csv(tmp_path / "in" / "flights.csv", [asa_row()])
    lines = source.read_text().splitlines()
    drop = lines[0].split(",").index("CRSDepTime")
    trimmed = "\n".join(",".join(v for i, v in enumerate(line.split(",")) if i != drop) for line in lines)
    s3.put_object(Bucket=RAW, Key="drop/no_dep_time.csv", Body=trimmed.encode())
    # When / Then the run stops with the missing column named, instead of dropping every row
    with pytest.raises(InputFormatError, match=r"lacks required columns \['CRSDepTime'\]"):
        stage_inputs([f"s3://{RAW}/drop/no_dep_time.csv"], f"{ROOT}_staging/r/", tmp_path, s3)


def test_arguments_are_parsed_without_awsglue():
    # Given Glue-style arguments among others
    argv = ["glue_main.py", "--job-bookmark-option", "x", "--run_id", "r1", "--inputs_uri", "s3://b/i.json",
            "--features_root", "s3://b/features/"]  # fmt: skip
    # When / Then
    assert resolve_arguments(argv) == {
        "run_id": "r1",
        "inputs_uri": "s3://b/i.json",
        "features_root": "s3://b/features/",
    }


def test_missing_argument_is_named():
    with pytest.raises(ValueError, match="--features_root"):
        resolve_arguments(["glue_main.py", "--run_id", "r1", "--inputs_uri", "s3://b/i.json"])


@pytest.mark.spark
def test_glue_entry_point_runs_under_plain_pyspark_and_publishes(s3, tmp_path, spark_session):
    # Given a run's inputs in S3
    inputs_uri = put_inputs(s3, tmp_path, run_id="run-9")
    args = {"run_id": "run-9", "inputs_uri": inputs_uri, "features_root": ROOT}
    # When the Glue entry point runs without awsglue
    summary = run_local_job(args, spark_session, s3)
    # Then the snapshot, its summary and the CURRENT pointer are in the processed bucket
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=PROCESSED, Prefix="features/")["Contents"]}
    assert any(k.startswith("features/snapshots/run-9/year=2008/month=02/") for k in keys)
    assert read_json(s3, "features/CURRENT.json")["run_id"] == "run-9"
    saved = read_json(s3, "features/snapshots/run-9/_run_summary.json")
    assert (saved["engine"], saved["rows_read"], saved["rows_written"]) == ("spark", 4, 2)
    assert saved["dropped"]["duplicate"] == 2  # the zip holds the same two flights as the CSV
    assert summary.partitions == ["year=2008/month=01", "year=2008/month=02"]
