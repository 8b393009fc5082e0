"""Verify and load a model bundle (manifest + hashed files) into an immutable LoadedModel."""

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime

import numpy as np
from airline_shared.api import SEED_REQUEST_EXAMPLE, PredictRequest
from airline_shared.bundle import LOOKUPS_FILE, MANIFEST_FILE, MODEL_FILE, BundleManifest, DelayLookups
from airline_shared.scoring import BundleFormatError, BundleIntegrityError, load_ensemble, verify_bundle_files
from pydantic import ValidationError

from predictor.logic.features import build_feature_row, derive_inputs, fill_from_lookups
from predictor.models.domain import BundleRefusedError, LoadedModel

#: The seed's documented request: every bundle must answer it with a finite probability before it serves.
SMOKE_REQUEST = PredictRequest.model_validate(SEED_REQUEST_EXAMPLE)


def load_model(files: Mapping[str, bytes], source: str, now: datetime | None = None) -> LoadedModel:
    """Parse, verify (hashes, format, feature names) and smoke-test a bundle's files.

    Raises BundleRefusedError naming the bundle and the first problem found.
    """
    version = "<unknown>"
    try:
        manifest = BundleManifest.model_validate_json(files[MANIFEST_FILE])
        version = manifest.version
        verify_bundle_files(manifest, {k: v for k, v in files.items() if k != MANIFEST_FILE})
        ensemble = load_ensemble(files[MODEL_FILE])
        lookups = DelayLookups.model_validate_json(files[LOOKUPS_FILE])
    except KeyError as exc:
        raise BundleRefusedError(version, f"missing file {exc.args[0]!r} (source {source})") from exc
    except (ValidationError, json.JSONDecodeError, BundleFormatError, BundleIntegrityError, ValueError) as exc:
        raise BundleRefusedError(version, f"{type(exc).__name__}: {exc}") from exc
    if ensemble.n_features != len(manifest.feature_names):
        raise BundleRefusedError(
            version, f"model expects {ensemble.n_features} features, manifest lists {len(manifest.feature_names)}"
        )
    model = LoadedModel(
        version=version,
        manifest=manifest,
        ensemble=ensemble,
        lookups=lookups,
        loaded_at=now or datetime.now(UTC),
        source=source,
        feature_names=tuple(manifest.feature_names),
    )
    smoke_test(model)
    return model


def smoke_test(model: LoadedModel) -> float:
    """Predict the seed's documented request; raises BundleRefusedError unless a probability in [0, 1] comes out."""
    try:
        inputs = derive_inputs(SMOKE_REQUEST, fill_from_lookups(SMOKE_REQUEST, model.lookups))
        row = build_feature_row(inputs, model.feature_names)
    except KeyError as exc:
        raise BundleRefusedError(model.version, f"unknown feature {exc.args[0]!r} in manifest.feature_names") from exc
    probability = float(np.asarray(model.ensemble.predict_proba(row)).reshape(-1)[0])
    if not (math.isfinite(probability) and 0.0 <= probability <= 1.0):
        raise BundleRefusedError(model.version, f"smoke prediction gave {probability!r}, not a probability")
    return probability
