"""Exported model.npz, scored by numpy, reproduces scikit-learn's calibrated probabilities to 1e-6."""

from pathlib import Path

import numpy as np
import pytest
from airline_shared.scoring import load_ensemble
from training.config import TrainingConfig
from training.data import FeaturesFrame, read_features, split_by_time
from training.errors import ExportParityError
from training.export import check_parity, export_model, float32_cut
from training.fit import FittedModel, fit_model
from training.pipeline import feature_names_for
from training_synthetic import synthetic_features


@pytest.fixture(scope="module")
def frame(tmp_path_factory: pytest.TempPathFactory) -> FeaturesFrame:
    return read_features(synthetic_features(tmp_path_factory.mktemp("export") / "features", rows=5000, seed=3))


_FITTED: dict[str, tuple[FittedModel, np.ndarray]] = {}


def _fit(frame: FeaturesFrame, kind: str) -> tuple[FittedModel, np.ndarray]:
    """Fit once per kind for this module (fitting is the slow part)."""
    if kind not in _FITTED:
        _FITTED[kind] = _fit_now(frame, kind)
    return _FITTED[kind]


def _fit_now(frame: FeaturesFrame, kind: str) -> tuple[FittedModel, np.ndarray]:
    cfg = TrainingConfig(model=kind, rf_trees=40)  # type: ignore[arg-type]
    split = split_by_time(frame, cfg.eval_months)
    names = feature_names_for(kind)
    fitted = fit_model(
        frame.matrix(names, split.fit), frame.label[split.fit],
        frame.matrix(names, split.calibration), frame.label[split.calibration], cfg,
    )  # fmt: skip
    return fitted, frame.matrix(names, split.eval)


@pytest.mark.parametrize("kind", ["hgb", "seed-rf"])
def test_numpy_scoring_matches_sklearn_within_1e6_on_eval(frame: FeaturesFrame, kind: str) -> None:
    # Given a model fitted on the fit months and calibrated on the calibration month
    fitted, X_eval = _fit(frame, kind)
    assert np.isnan(X_eval).any()  # the eval rows exercise the missing-value routing
    # When exported to model.npz and loaded by the serving evaluator
    ensemble = load_ensemble(export_model(fitted, kind, X_eval.shape[1]))
    # Then every eval probability matches scikit-learn + isotonic within 1e-6
    np.testing.assert_allclose(ensemble.predict_proba(X_eval), fitted.predict_proba(X_eval), rtol=0, atol=1e-6)


@pytest.mark.parametrize("kind", ["hgb", "seed-rf"])
def test_single_row_scoring_matches_sklearn(frame: FeaturesFrame, kind: str) -> None:
    fitted, X_eval = _fit(frame, kind)
    ensemble = load_ensemble(export_model(fitted, kind, X_eval.shape[1]))
    for row in X_eval[:25]:
        assert abs(ensemble.predict_proba(row[None, :])[0] - fitted.predict_proba(row[None, :])[0]) <= 1e-6


def test_parity_check_rejects_a_model_that_disagrees(frame: FeaturesFrame) -> None:
    # Given the bytes of one model and a different fitted model
    hgb, X_eval = _fit(frame, "hgb")
    other = TrainingConfig(model="hgb", learning_rate=0.5, max_iter=5)
    split = split_by_time(frame, 2)
    names = feature_names_for("hgb")
    different = fit_model(
        frame.matrix(names, split.fit), frame.label[split.fit],
        frame.matrix(names, split.calibration), frame.label[split.calibration], other,
    )  # fmt: skip
    # When checking parity
    # Then it fails with the number of disagreeing rows
    with pytest.raises(ExportParityError, match=r"disagrees with scikit-learn on \d+ of \d+ eval rows"):
        check_parity(export_model(hgb, "hgb", X_eval.shape[1]), different, X_eval)


def test_float32_cut_reproduces_float32_comparison() -> None:
    # Given thresholds scikit-learn trees compare against float32-cast inputs
    rng = np.random.default_rng(1)
    thresholds = rng.normal(0, 50, 200)
    x = np.concatenate(
        [rng.normal(0, 50, 20000), thresholds, np.nextafter(thresholds, np.inf), np.nextafter(thresholds, -np.inf)]
    )
    cut = float32_cut(thresholds)
    # When comparing in float64 against the cut and in float32 against the threshold
    # Then the decisions agree for every value, also within one ulp of the threshold
    for t, c in zip(thresholds, cut, strict=True):
        np.testing.assert_array_equal(x <= c, x.astype(np.float32) <= t)


def test_float32_cut_at_exact_float32_midpoint(tmp_path: Path) -> None:
    # Given a threshold that is a float32 value: its midpoint to the next float32 is the tie case
    t = np.array([1.0])
    up = float(np.nextafter(np.float32(1.0), np.float32(2.0)))
    mid = (1.0 + up) / 2
    # Then the tie rounds to even (1.0) in float32, so it must count as <= t
    assert (np.float32(mid) <= t[0]) == (mid <= float32_cut(t)[0])
