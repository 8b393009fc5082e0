"""`airline train` runs the entry point with the SageMaker contract and prints the metrics or the failure."""

from pathlib import Path

import pytest
from airline_shared.bundle import BundleManifest
from training_synthetic import synthetic_features
from typer.testing import CliRunner

from airline.cli import app


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_features(tmp_path_factory.mktemp("cli") / "features", rows=3000, seed=9)


def test_train_writes_the_bundle_and_prints_its_metrics(features: Path, tmp_path: Path) -> None:
    # Given a features table
    # When running `airline train`
    result = CliRunner().invoke(app, ["train", "--features", str(features), "--model-dir", str(tmp_path / "b")])
    # Then the bundle exists and its version and ROC-AUC are printed
    assert result.exit_code == 0, result.output
    manifest = BundleManifest.model_validate_json((tmp_path / "b" / "manifest.json").read_text())
    assert manifest.version in result.output.replace("\n", "")
    assert "roc_auc" in result.output


def test_train_failure_prints_the_reason_and_exits_1(features: Path, tmp_path: Path) -> None:
    # Given more eval months than the data has
    result = CliRunner().invoke(
        app, ["train", "--features", str(features), "--model-dir", str(tmp_path / "b"), "--eval-months", "9"]
    )
    # Then the failure file's reason is shown and nothing is written
    assert result.exit_code == 1
    assert "training failed" in result.output and "InsufficientDataError" in result.output
    assert not (tmp_path / "b" / "manifest.json").exists()
