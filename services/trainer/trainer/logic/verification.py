"""Unpack model.tar.gz safely and prove the bundle is servable before the gate ever looks at it."""

import io
import math
import posixpath
import tarfile
from dataclasses import dataclass

import numpy as np
from airline_shared.bundle import LOOKUPS_FILE, MANIFEST_FILE, MODEL_FILE, BundleManifest, DelayLookups
from airline_shared.features import MODEL_FEATURES, SEED_MODEL_FEATURES
from airline_shared.scoring import (
    BundleFormatError,
    BundleIntegrityError,
    load_ensemble,
    verified_file_hashes,
    verify_bundle_files,
)
from pydantic import ValidationError

from trainer.logic.errors import InvalidBundleError, UnsafeArchiveError

EXPECTED_FEATURES: dict[str, tuple[str, ...]] = {"hgb": MODEL_FEATURES, "seed-rf": SEED_MODEL_FEATURES}
MAX_MEMBERS = 64

#: Plausible inputs for the smoke prediction; unknown features get 0.
_TYPICAL_VALUES: dict[str, float] = {
    "depdelay": 25.0, "prevflightarrdelay": 30.0, "turnaroundminutes": 45.0, "routeavgarrdelay": 6.0,
    "carrieravgarrdelay": 5.0, "dep_hour": 17.0, "day_of_week": 5.0, "month": 7.0, "distance": 700.0,
    "leg_number": 3.0, "next_turnaroundminutes": 40.0,
}  # fmt: skip


@dataclass(frozen=True)
class ExtractionLimits:
    max_file_bytes: int
    max_total_bytes: int
    max_members: int = MAX_MEMBERS


@dataclass(frozen=True)
class VerifiedBundle:
    manifest: BundleManifest
    files: dict[str, bytes]  # every bundle file incl. manifest.json
    file_hashes: dict[str, str]  # SHA-256 of every file, manifest.json included (what ModelUpdated carries)


def _member_name(member: tarfile.TarInfo) -> str | None:
    """The flat file name of a member, None for the root dir entry; raises UnsafeArchiveError otherwise."""
    name = member.name
    if name.startswith("/") or "\\" in name or "\x00" in name:
        raise UnsafeArchiveError(f"archive member {name!r} has an absolute or unsafe path")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise UnsafeArchiveError(f"archive member {name!r} escapes the bundle folder (path traversal)")
    if member.isdir():
        if parts:
            raise UnsafeArchiveError(f"archive member {name!r} is a sub-directory; a bundle is a flat folder")
        return None
    if not member.isreg():
        raise UnsafeArchiveError(f"archive member {name!r} is not a regular file (link, device or fifo)")
    if len(parts) != 1:
        raise UnsafeArchiveError(f"archive member {name!r} is nested; a bundle is a flat folder")
    return posixpath.basename(parts[0])


def extract_bundle_files(archive: bytes, limits: ExtractionLimits) -> dict[str, bytes]:
    """Read the flat bundle folder from a tar.gz in memory (nothing touches disk).

    Raises UnsafeArchiveError for traversal, links, nesting, duplicates, too many members or size caps,
    InvalidBundleError when the bytes are not a readable tar archive.
    """
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:*") as tar:
            for count, member in enumerate(tar, start=1):
                if count > limits.max_members:
                    raise UnsafeArchiveError(f"archive has more than {limits.max_members} members")
                name = _member_name(member)
                if name is None:
                    continue
                if name in files:
                    raise UnsafeArchiveError(f"archive holds {name!r} twice")
                if member.size > limits.max_file_bytes:
                    raise UnsafeArchiveError(f"{name} is {member.size} bytes, over the {limits.max_file_bytes} cap")
                total += member.size
                if total > limits.max_total_bytes:
                    raise UnsafeArchiveError(f"bundle exceeds {limits.max_total_bytes} bytes extracted")
                handle = tar.extractfile(member)
                if handle is None:
                    raise UnsafeArchiveError(f"archive member {name!r} has no data")
                files[name] = handle.read(member.size + 1)
                if len(files[name]) != member.size:
                    raise UnsafeArchiveError(f"{name} size does not match its tar header")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InvalidBundleError(f"model.tar.gz is not a readable tar.gz archive: {exc}") from exc
    if not files:
        raise InvalidBundleError("model.tar.gz holds no files")
    return files


def smoke_rows(feature_names: list[str]) -> np.ndarray:
    """Fixed rows: typical values, all missing, all zero, extreme values (float64 [4, n_features])."""
    typical = np.array([_TYPICAL_VALUES.get(name, 0.0) for name in feature_names])
    return np.vstack([typical, np.full_like(typical, np.nan), np.zeros_like(typical), typical * 20 + 1000])


def parse_manifest(files: dict[str, bytes]) -> BundleManifest:
    """The bundle's manifest; raises InvalidBundleError when missing or not a valid BundleManifest."""
    if MANIFEST_FILE not in files:
        raise InvalidBundleError(f"bundle lacks {MANIFEST_FILE}; files: {sorted(files)}")
    try:
        return BundleManifest.model_validate_json(files[MANIFEST_FILE])
    except ValidationError as exc:
        raise InvalidBundleError(f"{MANIFEST_FILE} is not a valid BundleManifest: {exc}") from exc


def verify_bundle(files: dict[str, bytes]) -> VerifiedBundle:
    """Manifest parses, hashes match, lookups parse, model loads with the manifest's width and predicts sane
    probabilities on fixed rows, metrics are finite. Raises InvalidBundleError saying which check failed."""
    manifest = parse_manifest(files)
    try:
        verify_bundle_files(manifest, files)
    except BundleIntegrityError as exc:
        raise InvalidBundleError(str(exc)) from exc
    for required in (MODEL_FILE, LOOKUPS_FILE):
        if required not in manifest.files:
            raise InvalidBundleError(f"manifest does not list {required}")
    expected = list(EXPECTED_FEATURES[manifest.model_kind])
    if manifest.feature_names != expected:
        raise InvalidBundleError(
            f"feature_names {manifest.feature_names} differ from the {manifest.model_kind} contract {expected}"
        )
    try:
        DelayLookups.model_validate_json(files[LOOKUPS_FILE])
    except ValidationError as exc:
        raise InvalidBundleError(f"{LOOKUPS_FILE} is not valid DelayLookups: {exc}") from exc
    bad_metrics = {k: v for k, v in manifest.metrics.headline().items() if not math.isfinite(v)}
    if bad_metrics:
        raise InvalidBundleError(f"manifest metrics are not finite: {bad_metrics}")
    try:
        ensemble = load_ensemble(files[MODEL_FILE])
    except BundleFormatError as exc:
        raise InvalidBundleError(f"{MODEL_FILE} does not load: {exc}") from exc
    if ensemble.n_features != len(manifest.feature_names):
        raise InvalidBundleError(
            f"model expects {ensemble.n_features} features but the manifest lists {len(manifest.feature_names)}"
        )
    try:
        proba = np.asarray(ensemble.predict_proba(smoke_rows(manifest.feature_names)))
    except (ValueError, IndexError, FloatingPointError) as exc:
        raise InvalidBundleError(f"smoke prediction failed: {exc}") from exc
    if proba.shape != (4,) or not np.all(np.isfinite(proba)) or proba.min() < 0 or proba.max() > 1:
        raise InvalidBundleError(f"smoke prediction gave {proba.tolist()}: expected 4 finite probabilities in [0, 1]")
    file_hashes = verified_file_hashes(manifest, files[MANIFEST_FILE])
    return VerifiedBundle(manifest=manifest, files=dict(files), file_hashes=file_hashes)
