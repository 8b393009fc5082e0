"""verify_bundle_files: every listed file present with its SHA-256, nothing unlisted."""

import pytest
from airline_shared.scoring import BundleIntegrityError, sha256_hex, verified_file_hashes, verify_bundle_files
from predictor_testkit import manifest_for

FILES = {"model.npz": b"model-bytes", "lookups.json": b"{}", "report.html": b"<html></html>"}


def test_sha256_hex_is_lowercase_hex_of_the_bytes() -> None:
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_matching_files_pass() -> None:
    # Given files exactly as listed (plus the manifest itself)
    manifest = manifest_for("v1", FILES)
    # When / Then verification passes
    verify_bundle_files(manifest, {**FILES, "manifest.json": b"{...}"})


def test_tampered_file_is_reported_with_both_hashes() -> None:
    manifest = manifest_for("v1", FILES)
    with pytest.raises(BundleIntegrityError, match=r"model.npz: sha256 [0-9a-f]{64} != manifest"):
        verify_bundle_files(manifest, {**FILES, "model.npz": b"evil"})


def test_missing_file_is_reported() -> None:
    manifest = manifest_for("v1", FILES)
    with pytest.raises(BundleIntegrityError, match=r"lookups\.json: listed in the manifest but missing"):
        verify_bundle_files(manifest, {k: v for k, v in FILES.items() if k != "lookups.json"})


def test_unlisted_file_is_reported() -> None:
    manifest = manifest_for("v1", FILES)
    with pytest.raises(BundleIntegrityError, match=r"extra\.npz: present but not listed"):
        verify_bundle_files(manifest, {**FILES, "extra.npz": b"x"})


def test_verified_file_hashes_are_the_hashes_of_every_file_and_the_manifest() -> None:
    # Given a bundle that verifies
    manifest = manifest_for("v1", FILES)
    raw = manifest.model_dump_json().encode()
    verify_bundle_files(manifest, {**FILES, "manifest.json": raw})
    # When its hashes are listed, Then they equal hashing every file, sorted by name
    expected = {name: sha256_hex(data) for name, data in sorted({**FILES, "manifest.json": raw}.items())}
    hashes = verified_file_hashes(manifest, raw)
    assert hashes == expected
    assert list(hashes) == sorted(expected)
