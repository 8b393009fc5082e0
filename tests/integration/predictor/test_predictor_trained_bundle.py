"""A bundle trained by the real training code (`train_bundle`) is verified, served and reloaded."""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from airline_shared.api import PredictResponse
from airline_shared.features import MODEL_FEATURES
from helpers import load_event
from predictor.adapters.bundles import read_local_bundle
from predictor.handlers import api
from predictor.logic.bundle import load_model

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sample flights -> DuckDB features -> train_bundle (small config): the chain's real bundle."""
    from etl_job.run import run_etl
    from training.config import TrainingConfig
    from training.pipeline import train_bundle

    from airline.sample_data import generate_sample_data

    root = tmp_path_factory.mktemp("trained")
    sample = generate_sample_data(root / "raw", 20_000, "asa", 11, date(2007, 1, 1), 6)
    run_etl([*sample.data_files, sample.carriers_file], root / "features", engine="duckdb")
    train_bundle(root / "features", root / "model", config=TrainingConfig(max_iter=15, importance_rows=100))
    return root / "model"


@pytest.fixture
def serving(trained_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MODEL_DIR", str(trained_bundle))
    api.install_model_holder(None)
    yield trained_bundle
    api.install_model_holder(None)


def test_trained_bundle_passes_verification_and_smoke_test(trained_bundle: Path) -> None:
    model = load_model(read_local_bundle(trained_bundle), source=str(trained_bundle))
    assert model.feature_names == MODEL_FEATURES
    assert model.ensemble.n_features == len(MODEL_FEATURES)


def test_trained_bundle_answers_the_seed_request(serving: Path, lambda_context: Any) -> None:
    # Given the predictor serving the trained bundle
    manifest = json.loads((serving / "manifest.json").read_text())
    # When the seed's documented request arrives
    result = api.lambda_handler(load_event("apigw_predict_seed"), lambda_context)
    # Then 200 from that version, tier consistent with the bundle thresholds
    assert result["statusCode"] == 200
    body = PredictResponse.model_validate_json(result["body"])
    assert body.model_version == manifest["version"]
    p, thresholds = body.risk_assessment.risk_probability, manifest["thresholds"]
    assert body.risk_assessment.risk_class == int(p >= thresholds["decision"])


def test_trained_bundle_fills_averages_from_its_lookups(serving: Path, lambda_context: Any) -> None:
    lookups = json.loads((serving / "lookups.json").read_text())
    event = load_event("apigw_predict_seed")
    body = json.loads(event["body"])
    del body["routeavgarrdelay"], body["carrieravgarrdelay"]
    event["body"] = json.dumps(body)
    result = json.loads(api.lambda_handler(event, lambda_context)["body"])
    expected_route = lookups["route_avg_arr_delay"].get("ATL-LAX", lookups["global_route_avg_arr_delay"])
    assert result["filled_fields"]["routeavgarrdelay"] == pytest.approx(expected_route)
