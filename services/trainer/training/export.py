"""Export fitted scikit-learn trees to `tree-ensemble-npz/1` arrays and check parity with numpy scoring."""

from typing import Any

import numpy as np
from airline_shared.scoring import NODE_ARRAYS, TreeEnsemble, load_ensemble, save_ensemble

from training.errors import ExportParityError
from training.fit import FittedModel

PARITY_TOLERANCE = 1e-6


def _padded(trees: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Stack per-tree node arrays into [T, N], padding short trees with leaves (feature/children -1)."""
    width = max(t["feature"].size for t in trees)
    out = {name: np.zeros((len(trees), width), dtype=dtype) for name, dtype in NODE_ARRAYS.items()}
    for name in ("feature", "left", "right"):
        out[name][:] = -1
    for i, tree in enumerate(trees):
        n = tree["feature"].size
        for name in NODE_ARRAYS:
            out[name][i, :n] = tree[name]
    return out


def _hgb_trees(model: Any) -> list[dict[str, np.ndarray]]:
    """Nodes of a binary HistGradientBoostingClassifier (one predictor per iteration; leaf values include shrinkage)."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        if np.any(nodes["is_categorical"]):
            raise ValueError("categorical splits are not supported by tree-ensemble-npz/1")
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            {
                "feature": np.where(leaf, -1, nodes["feature_idx"]),
                "threshold": np.where(leaf, 0.0, nodes["num_threshold"]),
                "missing_left": np.where(leaf, 0, nodes["missing_go_to_left"]),
                "left": np.where(leaf, -1, nodes["left"]),
                "right": np.where(leaf, -1, nodes["right"]),
                "value": np.where(leaf, nodes["value"], 0.0),
            }
        )
    return trees


def float32_cut(threshold: np.ndarray) -> np.ndarray:
    """The largest float64 t' with `x <= t'` <=> `float32(x) <= threshold` (scikit-learn trees compare in float32)."""
    t = np.asarray(threshold, dtype=np.float64)
    below = t.astype(np.float32)
    too_big = below.astype(np.float64) > t
    below[too_big] = np.nextafter(below[too_big], np.float32(-np.inf))
    above = np.nextafter(below, np.float32(np.inf))
    mid = (below.astype(np.float64) + above.astype(np.float64)) / 2.0
    # A tie at the midpoint rounds to the even float32: keep it only when that is `below`.
    return np.where(mid.astype(np.float32) == below, mid, np.nextafter(mid, -np.inf))


def _forest_trees(pipeline: Any) -> list[dict[str, np.ndarray]]:
    """Trees of StandardScaler + RandomForest with the scaler folded into thresholds.

    Tree rule: float32((x - mean) / scale) <= t  <=>  x <= float32_cut(t) * scale + mean (scale > 0).
    Leaf value: the class-1 share of the (class-weighted) training samples in the leaf.
    """
    scaler, forest = pipeline.named_steps["scaler"], pipeline.named_steps["forest"]
    positive = int(np.flatnonzero(forest.classes_ == forest.classes_.max())[0])
    mean = np.asarray(scaler.mean_, dtype=np.float64)
    scale = np.asarray(scaler.scale_, dtype=np.float64)
    trees = []
    for estimator in forest.estimators_:
        tree = estimator.tree_
        leaf = tree.children_left < 0
        feature = np.where(leaf, 0, tree.feature)
        counts = tree.value[:, 0, :]
        share = counts[:, positive] / counts.sum(axis=1)
        trees.append(
            {
                "feature": np.where(leaf, -1, tree.feature),
                "threshold": np.where(leaf, 0.0, float32_cut(tree.threshold) * scale[feature] + mean[feature]),
                "missing_left": np.where(leaf, 0, tree.missing_go_to_left),
                "left": np.where(leaf, -1, tree.children_left),
                "right": np.where(leaf, -1, tree.children_right),
                "value": np.where(leaf, share, 0.0),
            }
        )
    return trees


def export_model(fitted: FittedModel, kind: str, n_features: int) -> bytes:
    """model.npz bytes (sum_logit for hgb, mean_proba for seed-rf) with the isotonic points; raises BundleFormatError."""
    calib = {
        "calib_x": np.asarray(fitted.calibrator.X_thresholds_, dtype=np.float64),
        "calib_y": np.asarray(fitted.calibrator.y_thresholds_, dtype=np.float64),
    }
    if kind == "hgb":
        baseline = float(np.ravel(fitted.estimator._baseline_prediction)[0])
        arrays = _padded(_hgb_trees(fitted.estimator))
        return save_ensemble(**arrays, aggregation="sum_logit", baseline=baseline, n_features=n_features, **calib)
    arrays = _padded(_forest_trees(fitted.estimator))
    return save_ensemble(**arrays, aggregation="mean_proba", baseline=0.0, n_features=n_features, **calib)


def check_parity(raw: bytes, fitted: FittedModel, X: np.ndarray) -> tuple[TreeEnsemble, np.ndarray, float]:
    """Numpy scoring of the exported bytes vs scikit-learn + isotonic; raises ExportParityError above 1e-6.

    Returns the loaded ensemble, its probabilities on X and the largest difference.
    """
    ensemble = load_ensemble(raw)
    served = ensemble.predict_proba(X)
    reference = fitted.predict_proba(X)
    diff = np.abs(served - reference)
    worst = float(diff.max()) if diff.size else 0.0
    if not worst <= PARITY_TOLERANCE:
        bad = int((diff > PARITY_TOLERANCE).sum())
        raise ExportParityError(
            f"exported model disagrees with scikit-learn on {bad} of {diff.size} eval rows "
            f"(max |diff| {worst:.3g} > {PARITY_TOLERANCE}); the bundle was not written"
        )
    return ensemble, served, worst
