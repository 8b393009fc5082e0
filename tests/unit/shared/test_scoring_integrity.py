"""verify_bundle_files: every listed file present with its SHA-256, nothing unlisted."""

from datetime import UTC, date, datetime

import pytest
from airline_shared.bundle import BundleManifest, ModelMetrics, TierThresholds, TrainingData
from airline_shared.scoring import BundleIntegrityError, sha256_hex, verify_bundle_files

FILES = {"model.npz": b"model-bytes", "lookups.json": b"{}", "report.html": b"<html></html>"}


def _manifest(files: dict[str, bytes]) -> BundleManifest:
    return BundleManifest(
        version="v20261126T010203Z-abcdef12",
        created_at=datetime(2026, 11, 26, 1, 2, 3, tzinfo=UTC),
        model_kind="hgb",
        training_data=TrainingData(
            uri="s3://b/f/",
            rows=10,
            train_period=(date(2024, 1, 1), date(2024, 5, 31)),
            eval_period=(date(2024, 6, 1), date(2024, 7, 31)),
        ),
        feature_names=["depdelay"],
        library_versions={"numpy": "2"},
        metrics=ModelMetrics(
            roc_auc=0.8, pr_auc=0.3, brier=0.05, positive_rate=0.06, eval_rows=5, train_rows=5, train_seconds=1.0
        ),
        thresholds=TierThresholds(medium=0.1, high=0.2, critical=0.4, decision=0.2),
        files={name: sha256_hex(data) for name, data in files.items()},
    )


def test_sha256_hex_is_lowercase_hex_of_the_bytes() -> None:
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_matching_files_pass() -> None:
    # Given files exactly as listed (plus the manifest itself)
    manifest = _manifest(FILES)
    # When / Then verification passes
    verify_bundle_files(manifest, {**FILES, "manifest.json": b"{...}"})


def test_tampered_file_is_reported_with_both_hashes() -> None:
    manifest = _manifest(FILES)
    with pytest.raises(BundleIntegrityError, match=r"model.npz: sha256 [0-9a-f]{64} != manifest"):
        verify_bundle_files(manifest, {**FILES, "model.npz": b"evil"})


def test_missing_file_is_reported() -> None:
    manifest = _manifest(FILES)
    with pytest.raises(BundleIntegrityError, match=r"lookups\.json: listed in the manifest but missing"):
        verify_bundle_files(manifest, {k: v for k, v in FILES.items() if k != "lookups.json"})


def test_unlisted_file_is_reported() -> None:
    manifest = _manifest(FILES)
    with pytest.raises(BundleIntegrityError, match=r"extra\.npz: present but not listed"):
        verify_bundle_files(manifest, {**FILES, "extra.npz": b"x"})
