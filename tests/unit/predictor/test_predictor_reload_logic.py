"""handle_model_updated: verify first, then move the pointer; refuse bad bundles."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from airline_shared.bundle import MANIFEST_FILE, MODEL_FILE, BundleManifest
from helpers import load_event
from predictor.logic.reload import ReloadDeps, handle_model_updated
from predictor.models.domain import BundleRefusedError, ModelPointer
from predictor_testkit import bundle_files

BUCKET = "airline-dev-models"


class Recorder:
    def __init__(self, bundles: dict[str, dict[str, bytes]]) -> None:
        self.bundles = bundles
        self.pointers: list[ModelPointer] = []
        self.refused: list[BundleRefusedError] = []

    def deps(self) -> ReloadDeps:
        return ReloadDeps(BUCKET, self.fetch, self.pointers.append, self.refused.append, self.read)

    def read(self) -> ModelPointer | None:
        return self.pointers[-1] if self.pointers else None

    def fetch(self, uri: str) -> Mapping[str, bytes]:
        return self.bundles[uri]


def _envelope(version: str = "v2", uri: str = f"s3://{BUCKET}/bundles/v2/", **detail: Any) -> dict[str, Any]:
    envelope = load_event("eventbridge_model_updated")
    envelope["detail"] |= {"version": version, "bundle_uri": uri, **detail}
    return envelope


def test_verified_bundle_moves_the_pointer() -> None:
    recorder = Recorder({f"s3://{BUCKET}/bundles/v2/": bundle_files("v2")})
    outcome = handle_model_updated(_envelope(), recorder.deps())
    assert (outcome.model.version, outcome.moved) == ("v2", True)
    assert recorder.pointers == [
        ModelPointer(
            version="v2", bundle_uri=f"s3://{BUCKET}/bundles/v2/", promoted_at=datetime(2026, 11, 26, 1, 20, tzinfo=UTC)
        )
    ]


def test_an_older_event_never_moves_the_pointer_back() -> None:
    # Given v3 promoted at 02:00 already holds the pointer
    recorder = Recorder({f"s3://{BUCKET}/bundles/{v}/": bundle_files(v) for v in ("v2", "v3")})
    handle_model_updated(
        _envelope("v3", f"s3://{BUCKET}/bundles/v3/", promoted_at="2026-11-26T02:00:00Z"), recorder.deps()
    )
    # When the ModelUpdated of v2 (promoted at 01:20) arrives late
    outcome = handle_model_updated(_envelope(), recorder.deps())
    # Then v3 stays
    assert (outcome.moved, outcome.pointer.version) == (False, "v3")
    assert [p.version for p in recorder.pointers] == ["v3"]


def test_event_hashes_must_match_the_manifest() -> None:
    files = bundle_files("v2")
    hashes = BundleManifest.model_validate_json(files[MANIFEST_FILE]).files
    recorder = Recorder({f"s3://{BUCKET}/bundles/v2/": files})
    handle_model_updated(_envelope(file_hashes=hashes), recorder.deps())
    assert len(recorder.pointers) == 1
    with pytest.raises(BundleRefusedError, match="files differ from the hashes in the event: model"):
        handle_model_updated(_envelope(file_hashes={**hashes, "model.npz": "0" * 64}), recorder.deps())


def test_corrupted_bundle_is_refused_reported_and_the_pointer_untouched() -> None:
    recorder = Recorder({f"s3://{BUCKET}/bundles/v2/": bundle_files("v2") | {MODEL_FILE: b"corrupt"}})
    with pytest.raises(BundleRefusedError, match=r"'v2' refused: .*model\.npz: sha256"):
        handle_model_updated(_envelope(), recorder.deps())
    assert recorder.pointers == []
    assert [e.version for e in recorder.refused] == ["v2"]


def test_manifest_version_must_match_the_event() -> None:
    recorder = Recorder({f"s3://{BUCKET}/bundles/v2/": bundle_files("v9")})
    with pytest.raises(BundleRefusedError, match="manifest version is 'v9'"):
        handle_model_updated(_envelope(), recorder.deps())
    assert recorder.pointers == []


def test_bundle_outside_the_models_bucket_is_refused_without_download() -> None:
    recorder = Recorder({})
    with pytest.raises(BundleRefusedError, match="outside the models bucket"):
        handle_model_updated(_envelope(uri="s3://someone-else/bundles/v2/"), recorder.deps())


def test_other_event_types_are_rejected() -> None:
    envelope = load_event("features_ready")
    with pytest.raises(ValueError, match="expected a ModelUpdated event"):
        handle_model_updated(envelope, Recorder({}).deps())
