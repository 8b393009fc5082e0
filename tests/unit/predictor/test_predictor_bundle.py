"""Bundle verification and loading: hashes, format, feature names, smoke prediction."""

import json
from pathlib import Path

import pytest
from airline_shared.bundle import LOOKUPS_FILE, MANIFEST_FILE, MODEL_FILE, BundleManifest
from airline_shared.features import MODEL_FEATURES
from predictor.adapters.bundles import read_local_bundle
from predictor.logic.bundle import load_model, smoke_test
from predictor.models.domain import BundleRefusedError
from predictor_testkit import bundle_files, manifest_for, write_bundle


def _with_manifest(files: dict[str, bytes], **overrides: object) -> dict[str, bytes]:
    body = {k: v for k, v in files.items() if k != MANIFEST_FILE}
    return {MANIFEST_FILE: manifest_for("v1", body, **overrides).model_dump_json().encode(), **body}


def test_valid_bundle_loads_with_its_version_and_features() -> None:
    model = load_model(bundle_files("v7"), source="mem")
    assert model.version == "v7"
    assert model.feature_names == MODEL_FEATURES
    assert 0.0 <= smoke_test(model) <= 1.0


def test_tampered_model_file_is_refused_by_hash() -> None:
    # Given a bundle whose model.npz changed after the manifest was written
    files = bundle_files("v1")
    files[MODEL_FILE] = files[MODEL_FILE] + b"\0"
    # When loaded, Then it is refused naming the file
    with pytest.raises(BundleRefusedError, match=r"model\.npz: sha256"):
        load_model(files, source="mem")


def test_missing_listed_file_is_refused() -> None:
    files = bundle_files("v1")
    del files[LOOKUPS_FILE]
    with pytest.raises(BundleRefusedError, match=r"lookups\.json"):
        load_model(files, source="mem")


def test_model_file_that_is_not_an_npz_is_refused_even_with_matching_hash() -> None:
    files = _with_manifest(bundle_files("v1") | {MODEL_FILE: b"PK-not-really-a-zip"})
    with pytest.raises(BundleRefusedError, match="BundleFormatError"):
        load_model(files, source="mem")


def test_manifest_that_is_not_json_is_refused() -> None:
    files = bundle_files("v1") | {MANIFEST_FILE: b"{nope"}
    with pytest.raises(BundleRefusedError):
        load_model(files, source="mem")


def test_feature_count_mismatch_is_refused() -> None:
    files = _with_manifest(bundle_files("v1"), feature_names=list(MODEL_FEATURES[:5]))
    with pytest.raises(BundleRefusedError, match="expects 11 features, manifest lists 5"):
        load_model(files, source="mem")


def test_feature_the_request_cannot_provide_is_refused_by_the_smoke_test() -> None:
    names = [*MODEL_FEATURES[:-1], "weather_index"]
    files = _with_manifest(bundle_files("v1"), feature_names=names)
    with pytest.raises(BundleRefusedError, match="weather_index"):
        load_model(files, source="mem")


def test_manifest_model_is_the_shared_contract() -> None:
    manifest = BundleManifest.model_validate_json(bundle_files("v1")[MANIFEST_FILE])
    assert set(manifest.files) == {"model.npz", "lookups.json", "report.html"}


@pytest.mark.parametrize("name", ["..", "../model.npz", "/etc/passwd", ".", "sub/model.npz", "a\\b", ""])
def test_manifest_listing_a_path_outside_the_bundle_folder_is_refused_at_load(tmp_path: Path, name: str) -> None:
    # Given a bundle folder whose manifest lists a path instead of a plain file name
    folder = write_bundle(tmp_path / "bundle", "v1")
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    manifest["files"][name] = "0" * 64
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
    # When the folder is read, Then it is refused naming the entry (nothing outside the folder is read)
    with pytest.raises(BundleRefusedError, match="only plain file names of the bundle folder"):
        read_local_bundle(folder)


def test_unreadable_bundle_file_is_refused_not_raised(tmp_path: Path) -> None:
    # Given a listed name that is a folder, not a file
    folder = write_bundle(tmp_path / "bundle", "v1")
    (folder / "extra.bin").mkdir()
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    manifest["files"]["extra.bin"] = "0" * 64
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(BundleRefusedError, match="unreadable bundle file"):
        read_local_bundle(folder)
