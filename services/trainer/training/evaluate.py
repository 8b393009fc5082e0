"""Metrics, calibration table, alert-budget tier thresholds and permutation importances on the eval period."""

import numpy as np
from airline_shared.bundle import BaselineMetrics, CalibrationBin, ModelMetrics, TierThresholds
from airline_shared.scoring import TreeEnsemble
from sklearn.metrics import average_precision_score, brier_score_loss, precision_recall_curve, roc_auc_score

from training.config import TrainingConfig

CALIBRATION_BINS = 10
#: The simple rules the model must beat: rank by the leg's own departure delay, or by its inbound's arrival delay.
BASELINE_FEATURES = ("depdelay", "prevflightarrdelay")


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = CALIBRATION_BINS) -> list[CalibrationBin]:
    """Equal-count bins of the sorted predictions (deciles): mean predicted vs observed rate.

    Equal-count rather than equal-width bins, because with a rare label nearly every
    prediction falls into the lowest width bin.
    """
    order = np.argsort(p, kind="stable")
    table = []
    for idx in np.array_split(order, min(bins, max(1, p.size))):
        if idx.size:
            table.append(
                CalibrationBin(
                    mean_predicted=float(p[idx].mean()), observed_rate=float(y[idx].mean()), count=int(idx.size)
                )
            )
    return table


def compute_metrics(y: np.ndarray, p: np.ndarray, train_rows: int, train_seconds: float) -> ModelMetrics:
    """The eval-period metrics carried by the manifest and compared by the quality gate."""
    y = y.astype(bool)
    return ModelMetrics(
        roc_auc=float(roc_auc_score(y, p)),
        pr_auc=float(average_precision_score(y, p)),
        brier=float(brier_score_loss(y, p)),
        positive_rate=float(y.mean()),
        eval_rows=int(y.size),
        train_rows=int(train_rows),
        train_seconds=round(float(train_seconds), 3),
        calibration=calibration_table(y.astype(np.float64), p),
    )


def baseline_metrics(y: np.ndarray, values: np.ndarray, feature: str) -> BaselineMetrics:
    """ROC-AUC and PR-AUC of ranking the rows by one raw feature value, missing values ranked lowest."""
    y = y.astype(bool)
    finite = np.isfinite(values)
    lowest = float(values[finite].min()) - 1.0 if finite.any() else 0.0
    score = np.where(finite, values, lowest)
    return BaselineMetrics(
        feature=feature, roc_auc=float(roc_auc_score(y, score)), pr_auc=float(average_precision_score(y, score))
    )


def f1_optimal_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability cut with the highest F1 on (y, p)."""
    precision, recall, thresholds = precision_recall_curve(y.astype(bool), p)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-300), 0.0)
    return float(thresholds[int(np.argmax(f1[:-1]))])


def tier_thresholds(y: np.ndarray, p: np.ndarray, config: TrainingConfig) -> TierThresholds:
    """Alert budget: Critical = top `critical_share` of eval risk, High = top `high_share`, Medium = top `medium_share`.

    decision (risk_class = 1) = the F1-optimal cut on the eval period.
    """

    def cut(share: float) -> float:
        return float(np.clip(np.quantile(p, 1.0 - share), 0.0, 1.0))

    medium, high, critical = cut(config.medium_share), cut(config.high_share), cut(config.critical_share)
    return TierThresholds(
        medium=medium, high=high, critical=critical, decision=float(np.clip(f1_optimal_threshold(y, p), 0, 1))
    )


def permutation_importance(
    ensemble: TreeEnsemble, X: np.ndarray, y: np.ndarray, names: tuple[str, ...], rows: int, seed: int
) -> dict[str, float]:
    """Drop in ROC-AUC when one feature is shuffled (eval sample, numpy scorer), largest first."""
    rng = np.random.default_rng(seed)
    if X.shape[0] > rows:
        pick = rng.choice(X.shape[0], size=rows, replace=False)
        X, y = X[pick], y[pick]
    if y.min() == y.max():
        return dict.fromkeys(names, 0.0)
    base = roc_auc_score(y, ensemble.predict_proba(X))
    drops = {}
    for j, name in enumerate(names):
        shuffled = X.copy()
        shuffled[:, j] = rng.permutation(shuffled[:, j])
        drops[name] = float(base - roc_auc_score(y, ensemble.predict_proba(shuffled)))
    return dict(sorted(drops.items(), key=lambda kv: -kv[1]))
