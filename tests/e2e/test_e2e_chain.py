"""End to end on the embedded AWS: upload -> ingest -> ETL -> training -> reload -> HTTP prediction.

The tests share one local cloud and run in file order: the chain, a bad file, then a retrain.
"""

from pathlib import Path

import pytest
from airline_shared.api import PredictRequest
from airline_shared.events import FeaturesReady, ModelUpdated, RawFileAccepted, RawFileRejected

from airline.local.demo import wait_for_event, wait_for_serving
from airline.local.pipeline import LocalPipeline

pytestmark = pytest.mark.slow
SEED_REQUEST = PredictRequest.model_json_schema()["examples"][0]


def test_first_upload_runs_the_chain_to_a_served_model(pipeline: LocalPipeline, sample_files: dict[str, Path]) -> None:
    # Given an empty pipeline whose API has no model yet
    status, body = pipeline.http("POST", "/predict", SEED_REQUEST)
    assert status == 503 and body["error"] == "no_model"

    # When the ASA file and carriers.csv are dropped into the raw bucket
    pipeline.upload(sample_files["first"], "uploads/airline.csv.shuffle")
    pipeline.upload(sample_files["carriers"], "uploads/carriers.csv")
    wait_for_event(pipeline, "RawFileAccepted", ("RawFileRejected",), "ingest", after=1)
    features = wait_for_event(pipeline, "FeaturesReady", ("EtlFailed",), "etl")
    model = wait_for_event(pipeline, "ModelUpdated", ("ModelRejected", "TrainingFailed"), "training")

    # Then both files were accepted, features were published, a model was promoted and is served
    accepted = [d for t, d in pipeline.observer.seen if t == "RawFileAccepted"]
    assert sorted(d.format for d in accepted if isinstance(d, RawFileAccepted)) == ["asa", "carriers"]
    assert isinstance(features, FeaturesReady) and features.rows_written > 15_000 and features.partitions
    listed = pipeline.cloud.client("s3").list_objects_v2(Bucket=pipeline.processed_bucket, Prefix="features/")
    assert any(o["Key"].endswith(".parquet") for o in listed.get("Contents", []))
    assert isinstance(model, ModelUpdated) and model.metrics["roc_auc"] > 0.7
    wait_for_serving(pipeline, model.version)
    status, body = pipeline.http("POST", "/predict", SEED_REQUEST)
    assert status == 200
    assert body["model_version"] == model.version
    assert body["flight_info"] == {"carrier": "DL", "route": "ATL-LAX"}
    assert body["risk_assessment"]["risk_tier"] in {"Low", "Medium", "High", "Critical"}
    assert pipeline.runtime.errors == []


def test_bad_file_is_quarantined_and_the_pipeline_stays_healthy(pipeline: LocalPipeline, tmp_path: Path) -> None:
    # Given a file that is no airline data at all
    junk = tmp_path / "notes.csv"
    junk.write_bytes(b"\x00\x01\x02binary junk\xff\xfe" * 100)

    # When it is dropped into the raw bucket
    pipeline.upload(junk, "uploads/notes.csv")
    rejected = wait_for_event(pipeline, "RawFileRejected", (), "ingest")

    # Then it is quarantined with a reason beside it, the original is kept, and serving goes on
    assert isinstance(rejected, RawFileRejected) and rejected.key == "uploads/notes.csv"
    s3 = pipeline.cloud.client("s3")
    quarantined = s3.get_object(Bucket=pipeline.raw_bucket, Key=rejected.quarantine_key)["Body"].read()
    assert quarantined == junk.read_bytes()
    s3.head_object(Bucket=pipeline.raw_bucket, Key=f"{rejected.quarantine_key}.reason.json")
    assert pipeline.observer.count("FeaturesReady") == 1  # no ETL run for a rejected file
    status, _ = pipeline.http("GET", "/health")
    assert status == 200
    assert pipeline.runtime.errors == []


def test_second_upload_retrains_and_the_warm_predictor_switches(
    pipeline: LocalPipeline, sample_files: dict[str, Path]
) -> None:
    # Given a served first model
    first = pipeline.observer.latest("ModelUpdated")
    assert isinstance(first, ModelUpdated)

    # When more data arrives
    pipeline.upload(sample_files["second"], "uploads/2007-q4/airline.csv.shuffle")
    second = wait_for_event(
        pipeline, "ModelUpdated", ("ModelRejected", "TrainingFailed", "EtlFailed"), "retrain", after=1
    )

    # Then a new version is promoted and the same (warm) API answers with it, without a restart
    assert isinstance(second, ModelUpdated) and second.version != first.version
    assert second.previous_version == first.version
    wait_for_serving(pipeline, second.version)
    status, body = pipeline.http("POST", "/predict", SEED_REQUEST)
    assert status == 200 and body["model_version"] == second.version
    assert pipeline.runtime.errors == []
