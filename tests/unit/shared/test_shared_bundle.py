"""Contracts of the model bundle manifest and lookups."""

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from airline_shared.bundle import (
    MODEL_FORMAT,
    BundleManifest,
    CalibrationBin,
    DelayLookups,
    ModelMetrics,
    TierThresholds,
    TrainingData,
)
from airline_shared.features import MODEL_FEATURES
from pydantic import ValidationError


def _manifest() -> BundleManifest:
    return BundleManifest(
        version="v20261126-0130",
        created_at=datetime(2026, 11, 26, 1, 30, tzinfo=UTC),
        model_kind="hgb",
        training_data=TrainingData(
            uri="s3://airline-processed-dev/features/snapshots/run-1/",
            rows=1000,
            train_period=(date(2007, 1, 1), date(2007, 9, 30)),
            eval_period=(date(2007, 10, 1), date(2007, 12, 31)),
        ),
        feature_names=list(MODEL_FEATURES),
        library_versions={"numpy": "2.4.6", "scikit-learn": "1.9"},
        metrics=ModelMetrics(
            roc_auc=0.9, pr_auc=0.6, brier=0.05, positive_rate=0.08, eval_rows=250, train_rows=750, train_seconds=3.2,
            calibration=[CalibrationBin(mean_predicted=0.1, observed_rate=0.12, count=40)],
        ),
        thresholds=TierThresholds(medium=0.2, high=0.4, critical=0.7, decision=0.35),
        files={"model.npz": "a" * 64, "lookups.json": "b" * 64},
    )  # fmt: skip


def _dump() -> dict[str, Any]:
    return json.loads(_manifest().model_dump_json())


def test_manifest_round_trips_through_json() -> None:
    manifest = _manifest()
    assert BundleManifest.model_validate_json(manifest.model_dump_json()) == manifest


def test_manifest_defaults_schema_version_and_model_format() -> None:
    assert _manifest().schema_version == 1
    assert _manifest().model_format == MODEL_FORMAT


def test_newer_manifest_schema_version_is_rejected() -> None:
    with pytest.raises(ValidationError, match="schema_version"):
        BundleManifest.model_validate(_dump() | {"schema_version": 2})


def test_unknown_model_format_is_rejected() -> None:
    with pytest.raises(ValidationError, match="model_format"):
        BundleManifest.model_validate(_dump() | {"model_format": "pickle/1"})


@pytest.mark.parametrize("version", ["../escape", "", "has space", "-leading-dash"])
def test_unsafe_version_is_rejected(version: str) -> None:
    with pytest.raises(ValidationError, match="version"):
        BundleManifest.model_validate(_dump() | {"version": version})


def test_extra_manifest_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        BundleManifest.model_validate(_dump() | {"pickled_model": "..."})


def test_feature_names_must_not_be_empty() -> None:
    with pytest.raises(ValidationError, match="feature_names"):
        BundleManifest.model_validate(_dump() | {"feature_names": []})


def test_tier_thresholds_out_of_order_are_rejected_with_the_values() -> None:
    with pytest.raises(ValidationError, match=r"medium <= high <= critical, got 0.5, 0.4, 0.7"):
        TierThresholds(medium=0.5, high=0.4, critical=0.7, decision=0.3)


def test_tier_threshold_outside_zero_one_is_rejected() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        TierThresholds(medium=0.2, high=0.4, critical=1.5, decision=0.3)


def test_equal_tier_thresholds_are_allowed() -> None:
    thresholds = TierThresholds(medium=0.3, high=0.3, critical=0.3, decision=0.3)
    assert thresholds.high == 0.3


def test_headline_metrics_are_the_scalars_without_calibration() -> None:
    headline = _manifest().metrics.headline()
    assert "calibration" not in headline
    assert headline["roc_auc"] == 0.9
    assert headline["eval_rows"] == 250.0
    assert all(isinstance(v, float) for v in headline.values())


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(ValidationError, match="eval_rows"):
        ModelMetrics(
            roc_auc=0.9, pr_auc=0.6, brier=0.05, positive_rate=0.08, eval_rows=-1, train_rows=1, train_seconds=1
        )


def test_manifest_is_immutable() -> None:
    manifest = _manifest()
    with pytest.raises(ValidationError, match="frozen"):
        manifest.version = "v2"  # type: ignore[misc]


def test_delay_lookups_round_trip() -> None:
    lookups = DelayLookups(
        as_of=date(2007, 12, 31),
        route_avg_arr_delay={"ATL-LAX": 12.5},
        carrier_avg_arr_delay={"DL": 8.0},
        global_route_avg_arr_delay=7.0,
        global_carrier_avg_arr_delay=7.5,
    )
    assert DelayLookups.model_validate_json(lookups.model_dump_json()) == lookups
