"""Fit the two model kinds and their isotonic calibration (scikit-learn; training only)."""

import inspect
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from training.config import TrainingConfig


@dataclass(frozen=True)
class FittedModel:
    """The scikit-learn model, its calibrator and how long fitting took."""

    estimator: Any  # HistGradientBoostingClassifier | Pipeline(StandardScaler, RandomForestClassifier)
    calibrator: IsotonicRegression
    seconds: float
    iterations: int

    def raw_proba(self, X: np.ndarray) -> np.ndarray:
        """Uncalibrated P(class 1) from scikit-learn."""
        return np.asarray(self.estimator.predict_proba(X)[:, 1], dtype=np.float64)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Calibrated P(class 1): isotonic regression applied to the raw output (the reference for parity)."""
        return np.asarray(self.calibrator.predict(self.raw_proba(X)), dtype=np.float64)


def fit_hgb(
    X_fit: np.ndarray,
    y_fit: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    config: TrainingConfig,
    sample_weight: np.ndarray | None = None,
) -> Any:
    """HistGradientBoosting with native NaN handling, early-stopped on the later (validation) months.

    No class weights: the rare label stays a probability, and isotonic calibration fixes the rest.
    scikit-learn < 1.7 has no X_val: it then early-stops on a 10 % validation fraction of the fit rows.
    """
    model = HistGradientBoostingClassifier(
        learning_rate=config.learning_rate,
        max_iter=config.max_iter,
        max_leaf_nodes=config.max_leaf_nodes,
        min_samples_leaf=config.min_samples_leaf,
        l2_regularization=config.l2_regularization,
        early_stopping=True,
        scoring="loss",
        n_iter_no_change=config.n_iter_no_change,
        random_state=config.random_state,
    )
    if "X_val" in inspect.signature(model.fit).parameters:
        return model.fit(X_fit, y_fit, sample_weight=sample_weight, X_val=X_val, y_val=y_val)
    return model.set_params(validation_fraction=0.1).fit(X_fit, y_fit, sample_weight=sample_weight)


def fit_seed_rf(
    X_fit: np.ndarray, y_fit: np.ndarray, config: TrainingConfig, sample_weight: np.ndarray | None = None
) -> Pipeline:
    """The seed's model: StandardScaler + RandomForest(200, depth 15, balanced); NaN handled natively by the trees."""
    forest = RandomForestClassifier(
        n_estimators=config.rf_trees,
        max_depth=config.rf_max_depth,
        min_samples_split=config.rf_min_samples_split,
        min_samples_leaf=config.rf_min_samples_leaf,
        class_weight="balanced",
        n_jobs=-1,
        random_state=config.random_state,
    )
    return Pipeline([("scaler", StandardScaler()), ("forest", forest)]).fit(
        X_fit, y_fit, forest__sample_weight=sample_weight
    )


def fit_model(
    X_fit: np.ndarray,
    y_fit: np.ndarray,
    X_cal: np.ndarray,
    y_cal: np.ndarray,
    config: TrainingConfig,
    sample_weight: np.ndarray | None = None,
) -> FittedModel:
    """Fit the configured model on the fit months (rows weighted when sampled), calibrate on the calibration months."""
    started = time.perf_counter()
    if config.model == "hgb":
        estimator = fit_hgb(X_fit, y_fit, X_cal, y_cal, config, sample_weight)
        iterations = int(estimator.n_iter_)
    else:
        estimator = fit_seed_rf(X_fit, y_fit, config, sample_weight)
        iterations = config.rf_trees
    raw_cal = np.asarray(estimator.predict_proba(X_cal)[:, 1], dtype=np.float64)
    calibrator = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw_cal, y_cal.astype(np.float64))
    return FittedModel(estimator, calibrator, time.perf_counter() - started, iterations)
