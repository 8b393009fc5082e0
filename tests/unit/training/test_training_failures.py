"""Unusable input fails with a clear message, a SageMaker failure file and a non-zero exit; no bundle."""

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from training import train
from training.data import read_features, split_by_time, validate_split
from training.errors import InsufficientDataError, MissingColumnsError, SingleClassError
from training_synthetic import synthetic_columns, synthetic_features, write_features


@pytest.fixture
def sagemaker_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The container's environment: input channel, model dir and output data dir (failure file beside it)."""
    paths = {
        "features": tmp_path / "input" / "data" / "train",
        "model_dir": tmp_path / "model",
        "failure": tmp_path / "output" / "failure",
    }
    monkeypatch.setenv("SM_CHANNEL_TRAIN", str(paths["features"]))
    monkeypatch.setenv("SM_MODEL_DIR", str(paths["model_dir"]))
    monkeypatch.setenv("SM_OUTPUT_DATA_DIR", str(tmp_path / "output" / "data"))
    monkeypatch.delenv("SM_FAILURE_FILE", raising=False)
    return paths


def test_missing_column_fails_with_its_name_in_the_failure_file(sagemaker_env: dict[str, Path]) -> None:
    # Given a features table without turnaroundminutes
    synthetic_features(sagemaker_env["features"], rows=2000, drop=("turnaroundminutes",))
    # When the entry point runs
    code = train.main(["--model", "hgb"])
    # Then it exits non-zero, names the column in the failure file and writes no bundle
    assert code == 1
    reason = sagemaker_env["failure"].read_text()
    assert reason.startswith("MissingColumnsError:") and "'turnaroundminutes'" in reason
    assert not (sagemaker_env["model_dir"] / "manifest.json").exists()


def test_too_few_rows_fails_with_the_counts(sagemaker_env: dict[str, Path]) -> None:
    # Given 300 flights over six months (about 100 in the eval period)
    synthetic_features(sagemaker_env["features"], rows=300)
    # When training with the default minimums
    code = train.main([])
    # Then the failure file gives the count and the knob to change
    assert code == 1
    reason = sagemaker_env["failure"].read_text()
    assert reason.startswith("InsufficientDataError:") and "fewer than the minimum 1000" in reason
    assert "--min-train-rows" in reason


def test_single_class_fails_clearly(sagemaker_env: dict[str, Path]) -> None:
    # Given a table whose label is never true
    columns = synthetic_columns(3000, date(2024, 1, 1), 182)
    columns["cascade"] = np.zeros(3000, dtype=bool)
    write_features(sagemaker_env["features"], columns)
    # When training
    code = train.main(["--model", "seed-rf"])
    # Then it reports the single class instead of training a constant model
    assert code == 1
    assert "SingleClassError: the fit period" in sagemaker_env["failure"].read_text()
    assert "only cascade=False" in sagemaker_env["failure"].read_text()


def test_empty_input_channel_fails_clearly(sagemaker_env: dict[str, Path]) -> None:
    sagemaker_env["features"].mkdir(parents=True)
    assert train.main([]) == 1
    assert "no Parquet files under" in sagemaker_env["failure"].read_text()


def test_bad_hyperparameter_is_reported_in_the_failure_file(sagemaker_env: dict[str, Path]) -> None:
    # Given an unknown model kind and an unknown option
    assert train.main(["--model", "xgb"]) == 1
    assert "--model: Input should be 'hgb' or 'seed-rf'" in sagemaker_env["failure"].read_text()
    assert train.main(["--colour", "blue"]) == 1
    assert "unrecognized arguments: --colour blue" in sagemaker_env["failure"].read_text()


def test_explicit_failure_file_env_wins(
    sagemaker_env: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SM_FAILURE_FILE", str(tmp_path / "elsewhere" / "why.txt"))
    assert train.main([]) == 1
    assert "does not exist" in (tmp_path / "elsewhere" / "why.txt").read_text()


def test_single_class_in_eval_only_is_detected(tmp_path: Path) -> None:
    # Given positives everywhere except the two eval months
    columns = synthetic_columns(3000, date(2024, 1, 1), 182)
    columns["cascade"] = columns["cascade"] & (np.asarray(columns["month"]) < 5)
    frame = read_features(write_features(tmp_path / "f", columns))
    split = split_by_time(frame, eval_months=2)
    # When validating
    # Then the eval period is named
    with pytest.raises(SingleClassError, match="the eval period"):
        validate_split(frame, split, min_train_rows=10, min_eval_rows=10)


def test_minimum_eval_rows_is_configurable(tmp_path: Path) -> None:
    frame = read_features(synthetic_features(tmp_path / "f", rows=3000))
    split = split_by_time(frame, eval_months=2)
    with pytest.raises(InsufficientDataError, match="eval period has"):
        validate_split(frame, split, min_train_rows=10, min_eval_rows=5000)


def test_missing_column_error_type(tmp_path: Path) -> None:
    with pytest.raises(MissingColumnsError, match=r"\['cascade'\]"):
        read_features(synthetic_features(tmp_path / "f", rows=500, drop=("cascade",)))
