"""Tiny hand-made model bundles for the predictor tests (tree-ensemble-npz/1 via save_ensemble)."""

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from airline_shared.api import SEED_REQUEST_EXAMPLE
from airline_shared.bundle import (
    LOOKUPS_FILE,
    MANIFEST_FILE,
    MODEL_FILE,
    REPORT_FILE,
    BundleManifest,
    DelayLookups,
    ModelMetrics,
    TierThresholds,
    TrainingData,
)
from airline_shared.features import MODEL_FEATURES
from airline_shared.scoring import save_ensemble, sha256_hex

THRESHOLDS = TierThresholds(medium=0.3, high=0.5, critical=0.8, decision=0.5)
LOOKUPS = DelayLookups(
    as_of=date(2025, 11, 1),
    route_avg_arr_delay={"ATL-LAX": 11.0, "JFK-SFO": 20.0},
    carrier_avg_arr_delay={"DL": 6.5, "AA": 9.0},
    global_route_avg_arr_delay=7.25,
    global_carrier_avg_arr_delay=8.5,
)


def two_tree_model(bias: float = 0.0) -> bytes:
    """sum_logit ensemble over MODEL_FEATURES: a late inbound aircraft + short turnaround = high risk.

    Tree 0: prevflightarrdelay (1) <= 15 (NaN left) -> -2 ; else turnaroundminutes (2) <= 60 -> +3 else +0.5.
    Tree 1: depdelay (0) <= 10 (NaN left) -> -0.5 else +0.5.
    """
    feature = np.array([[1, -1, 2, -1, -1], [0, -1, -1, -1, -1]], dtype=np.int32)
    threshold = np.array([[15.0, 0, 60.0, 0, 0], [10.0, 0, 0, 0, 0]], dtype=np.float64)
    missing_left = np.array([[1, 0, 1, 0, 0], [1, 0, 0, 0, 0]], dtype=np.uint8)
    left = np.array([[1, -1, 3, -1, -1], [1, -1, -1, -1, -1]], dtype=np.int32)
    right = np.array([[2, -1, 4, -1, -1], [2, -1, -1, -1, -1]], dtype=np.int32)
    value = np.array([[0, -2.0, 0, 3.0, 0.5], [0, -0.5, 0.5, 0, 0]], dtype=np.float64)
    return save_ensemble(
        feature=feature, threshold=threshold, missing_left=missing_left, left=left, right=right, value=value,
        aggregation="sum_logit", baseline=bias, n_features=len(MODEL_FEATURES),
    )  # fmt: skip


def manifest_for(version: str, files: dict[str, bytes], **overrides: Any) -> BundleManifest:
    """A valid manifest listing `files` with their SHA-256."""
    fields: dict[str, Any] = {
        "version": version,
        "created_at": datetime(2025, 11, 20, tzinfo=UTC),
        "model_kind": "hgb",
        "training_data": TrainingData(
            uri="s3://processed/features/snapshots/r1/",
            rows=1000,
            train_period=(date(2025, 1, 1), date(2025, 9, 30)),
            eval_period=(date(2025, 10, 1), date(2025, 10, 31)),
        ),
        "feature_names": list(MODEL_FEATURES),
        "library_versions": {"numpy": np.__version__},
        "metrics": ModelMetrics(
            roc_auc=0.8, pr_auc=0.5, brier=0.1, positive_rate=0.2, eval_rows=100, train_rows=900, train_seconds=1.0
        ),
        "thresholds": THRESHOLDS,
        "files": {name: sha256_hex(data) for name, data in files.items()},
    }
    return BundleManifest(**(fields | overrides))


def bundle_files(version: str = "v1", bias: float = 0.0, lookups: DelayLookups = LOOKUPS) -> dict[str, bytes]:
    """Every file of a valid bundle, by name."""
    files = {
        MODEL_FILE: two_tree_model(bias),
        LOOKUPS_FILE: lookups.model_dump_json().encode(),
        REPORT_FILE: b"<html><body>test report</body></html>",
    }
    return {MANIFEST_FILE: manifest_for(version, files).model_dump_json().encode(), **files}


def write_bundle(directory: Path, version: str = "v1", bias: float = 0.0) -> Path:
    """Write a valid bundle folder and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in bundle_files(version, bias).items():
        (directory / name).write_bytes(data)
    return directory


def seed_request(**changes: Any) -> dict[str, Any]:
    """The seed's documented request, optionally changed."""
    return {k: v for k, v in (SEED_REQUEST_EXAMPLE | changes).items() if v is not ...}


def to_json(value: Any) -> str:
    return json.dumps(value)
