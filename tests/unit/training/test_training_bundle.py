"""A full run through the SageMaker entry point writes a consistent, verifiable bundle."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from airline_shared.bundle import BundleManifest, DelayLookups
from airline_shared.features import MODEL_FEATURES, SEED_MODEL_FEATURES
from airline_shared.scoring import load_ensemble, sha256_hex, verify_bundle_files
from training import train
from training_synthetic import synthetic_features

TRAIN_SCRIPT = Path(train.__file__)


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_features(tmp_path_factory.mktemp("bundle") / "features", rows=5000, seed=5)


@pytest.fixture(scope="module")
def hgb_bundle(features: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Bundle written by the entry point (SM env contract) run as a script in a subprocess."""
    out = tmp_path_factory.mktemp("hgb")
    env = {
        "SM_CHANNEL_TRAIN": str(features),
        "SM_MODEL_DIR": str(out / "model"),
        "SM_OUTPUT_DATA_DIR": str(out / "output" / "data"),
    }
    done = subprocess.run(
        [sys.executable, str(TRAIN_SCRIPT), "--model", "hgb", "--eval-months", "2", "--training-data-uri", "s3://bucket/features/snapshots/r1/"],
        env={**_base_env(), **env}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out / "model"


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("SM_")}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_manifest_hashes_match_the_written_files(hgb_bundle: Path) -> None:
    manifest = BundleManifest.model_validate_json((hgb_bundle / "manifest.json").read_text())
    assert set(manifest.files) == {"model.npz", "lookups.json", "report.html"}
    for name, digest in manifest.files.items():
        assert sha256_hex((hgb_bundle / name).read_bytes()) == digest
    verify_bundle_files(manifest, _files(hgb_bundle))


def test_manifest_describes_the_run(hgb_bundle: Path) -> None:
    manifest = BundleManifest.model_validate_json((hgb_bundle / "manifest.json").read_text())
    assert re.fullmatch(r"v\d{8}T\d{6}Z-[0-9a-f]{8}", manifest.version)
    assert manifest.version.endswith(manifest.files["model.npz"][:8])
    assert manifest.feature_names == list(MODEL_FEATURES)
    assert manifest.training_data.uri == "s3://bucket/features/snapshots/r1/"
    assert manifest.training_data.train_period[1] < manifest.training_data.eval_period[0]
    assert manifest.training_data.rows == manifest.metrics.train_rows + manifest.metrics.eval_rows == 5000
    assert {"numpy", "scikit-learn", "python"} <= set(manifest.library_versions)
    assert len(manifest.metrics.calibration) == 10


def test_model_learned_the_signal_and_is_calibrated(hgb_bundle: Path) -> None:
    metrics = BundleManifest.model_validate_json((hgb_bundle / "manifest.json").read_text()).metrics
    assert metrics.roc_auc > 0.7
    assert 0 < metrics.brier < metrics.positive_rate  # better than predicting 0 for everyone
    assert sum(b.count for b in metrics.calibration) == metrics.eval_rows


def test_tier_thresholds_are_ordered_and_follow_the_alert_budget(hgb_bundle: Path) -> None:
    t = BundleManifest.model_validate_json((hgb_bundle / "manifest.json").read_text()).thresholds
    assert 0 <= t.medium <= t.high <= t.critical <= 1
    assert 0 < t.decision <= 1


def test_model_file_loads_with_the_manifest_width(hgb_bundle: Path) -> None:
    manifest = BundleManifest.model_validate_json((hgb_bundle / "manifest.json").read_text())
    model = load_ensemble((hgb_bundle / "model.npz").read_bytes())
    assert model.n_features == len(manifest.feature_names)
    p = model.predict_proba(np.full((1, model.n_features), np.nan))
    assert 0 <= p[0] <= 1


def test_lookups_parse_and_cover_routes_and_carriers(hgb_bundle: Path) -> None:
    lookups = DelayLookups.model_validate_json((hgb_bundle / "lookups.json").read_text())
    assert str(lookups.as_of) == "2024-06-30"
    assert "ATL-LAX" in lookups.route_avg_arr_delay and set(lookups.carrier_avg_arr_delay) == {"AA", "DL", "UA"}


def test_report_embeds_the_three_images(hgb_bundle: Path) -> None:
    html = (hgb_bundle / "report.html").read_text()
    images = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert [name for name, _ in images] == ["ROC curve", "Calibration curve", "Feature importance"]
    assert all(len(data) > 1000 for _, data in images)
    assert "roc_auc" in html and "critical" in html


def test_manifest_and_report_carry_the_simple_baselines(hgb_bundle: Path) -> None:
    # Given a bundle trained on the synthetic features
    manifest = BundleManifest.model_validate_json((hgb_bundle / "manifest.json").read_text())
    html = (hgb_bundle / "report.html").read_text()
    # Then the manifest records depdelay alone and prevflightarrdelay alone on the eval rows
    assert [b.feature for b in manifest.baselines] == ["depdelay", "prevflightarrdelay"]
    assert all(0 <= b.roc_auc <= 1 and 0 <= b.pr_auc <= 1 for b in manifest.baselines)
    # And the report shows them next to the model
    assert "Model vs simple rules" in html
    assert "depdelay alone" in html and "prevflightarrdelay alone" in html


def test_manifest_without_baselines_still_parses(hgb_bundle: Path) -> None:
    # Given a manifest written before baselines were recorded
    raw = json.loads((hgb_bundle / "manifest.json").read_text())
    del raw["baselines"]
    # Then it parses, with no baselines
    assert BundleManifest.model_validate(raw).baselines == []


def test_seed_rf_bundle_uses_the_seed_features(features: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the SageMaker environment in-process
    monkeypatch.setenv("SM_CHANNEL_TRAIN", str(features))
    monkeypatch.setenv("SM_MODEL_DIR", str(tmp_path / "model"))
    monkeypatch.setenv("SM_FAILURE_FILE", str(tmp_path / "failure"))
    # When training the seed model with fewer trees
    assert train.main(["--model", "seed-rf", "--rf-trees", "30"]) == 0
    # Then the bundle names the seed features and aggregates probabilities
    manifest = json.loads((tmp_path / "model" / "manifest.json").read_text())
    assert manifest["model_kind"] == "seed-rf" and manifest["feature_names"] == list(SEED_MODEL_FEATURES)
    assert load_ensemble((tmp_path / "model" / "model.npz").read_bytes()).aggregation == "mean_proba"
    assert not (tmp_path / "failure").exists()
