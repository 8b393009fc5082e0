"""Bundle verification: manifest, hashes, feature contract, loadable model, sane smoke prediction."""

import json

import numpy as np
import pytest
from airline_shared.bundle import MANIFEST_FILE, MODEL_FILE
from airline_shared.features import MODEL_FEATURES
from airline_shared.scoring import save_ensemble, sha256_hex
from trainer.logic.errors import InvalidBundleError
from trainer.logic.verification import smoke_rows, verify_bundle
from trainer_support import bundle_files, tiny_model_npz


def _with_manifest_field(files: dict[str, bytes], **changes: object) -> dict[str, bytes]:
    manifest = json.loads(files[MANIFEST_FILE]) | changes
    return files | {MANIFEST_FILE: json.dumps(manifest).encode()}


def test_valid_bundle_verifies_and_reports_hashes_of_every_file() -> None:
    files = bundle_files(version="v-ok")
    bundle = verify_bundle(files)
    assert bundle.manifest.version == "v-ok"
    assert bundle.file_hashes == {name: sha256_hex(data) for name, data in files.items()}


def test_missing_manifest_is_invalid() -> None:
    files = bundle_files()
    del files[MANIFEST_FILE]
    with pytest.raises(InvalidBundleError, match=r"lacks manifest\.json"):
        verify_bundle(files)


def test_manifest_that_is_not_json_is_invalid() -> None:
    with pytest.raises(InvalidBundleError, match="not a valid BundleManifest"):
        verify_bundle(bundle_files() | {MANIFEST_FILE: b"{not json"})


def test_tampered_model_file_fails_the_hash_check() -> None:
    # Given a bundle whose model.npz changed after the manifest was written
    files = bundle_files() | {MODEL_FILE: tiny_model_npz(leaf_high=3.0)}
    # When verified / Then the integrity error names the file
    with pytest.raises(InvalidBundleError, match=r"model\.npz: sha256"):
        verify_bundle(files)


def test_unlisted_extra_file_is_invalid() -> None:
    with pytest.raises(InvalidBundleError, match="not listed"):
        verify_bundle(bundle_files() | {"extra.bin": b"?"})


def test_model_width_differing_from_manifest_features_is_invalid() -> None:
    # Given a consistent bundle whose model expects 5 inputs while the manifest lists 11 names
    files = bundle_files(model_npz=tiny_model_npz(n_features=5))
    with pytest.raises(InvalidBundleError, match="expects 5 features"):
        verify_bundle(files)


def test_feature_names_differing_from_the_contract_are_invalid() -> None:
    names = tuple(reversed(MODEL_FEATURES))
    with pytest.raises(InvalidBundleError, match="differ from the hgb contract"):
        verify_bundle(bundle_files(feature_names=names))


def test_model_file_that_does_not_load_is_invalid() -> None:
    # Given correct hashes over a model.npz that is not a numpy archive
    with pytest.raises(InvalidBundleError, match="does not load"):
        verify_bundle(bundle_files(model_npz=b"PK\x03\x04 not really a zip"))


def test_smoke_prediction_outside_zero_one_is_invalid() -> None:
    # Given a mean_proba model whose leaves are not probabilities
    model = save_ensemble(
        feature=np.array([[0, -1, -1]], dtype=np.int32),
        threshold=np.array([[10.0, 0.0, 0.0]]),
        missing_left=np.array([[1, 0, 0]], dtype=np.uint8),
        left=np.array([[1, -1, -1]], dtype=np.int32),
        right=np.array([[2, -1, -1]], dtype=np.int32),
        value=np.array([[0.0, 0.2, 5.0]]),
        aggregation="mean_proba",
        n_features=len(MODEL_FEATURES),
    )
    with pytest.raises(InvalidBundleError, match="smoke prediction"):
        verify_bundle(bundle_files(model_npz=model))


def test_non_finite_manifest_metric_is_invalid() -> None:
    files = bundle_files()
    manifest = json.loads(files[MANIFEST_FILE])
    manifest["metrics"]["pr_auc"] = float("nan")
    with pytest.raises(InvalidBundleError, match="not finite"):
        verify_bundle(files | {MANIFEST_FILE: json.dumps(manifest).encode()})


def test_smoke_rows_cover_typical_missing_zero_and_extreme_inputs() -> None:
    rows = smoke_rows(list(MODEL_FEATURES))
    assert rows.shape == (4, len(MODEL_FEATURES))
    assert np.isnan(rows[1]).all()
    assert (rows[2] == 0).all()
    assert (rows[3] > rows[0]).all()


def test_unknown_manifest_field_is_invalid() -> None:
    with pytest.raises(InvalidBundleError, match="BundleManifest"):
        verify_bundle(_with_manifest_field(bundle_files(), surprise=1))
