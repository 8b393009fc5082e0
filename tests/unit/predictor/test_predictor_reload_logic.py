"""handle_model_updated: the registry's CURRENT is served (verified first); the event's own claims are not trusted."""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from airline_shared.bundle import MANIFEST_FILE, MODEL_FILE
from airline_shared.scoring import sha256_hex
from helpers import load_event
from predictor.logic.reload import ReloadDeps, handle_model_updated
from predictor.models.domain import (
    BundleRefusedError,
    ModelPointer,
    RegistryCurrent,
    RegistryVersion,
    SourceUnavailableError,
)
from predictor_testkit import bundle_files

BUCKET = "airline-dev-models"
NOW = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)  # ten minutes after the sample event's promoted_at
FORGED_AT = "2099-01-01T00:00:00Z"


def _uri(version: str) -> str:
    return f"s3://{BUCKET}/bundles/{version}/"


class World:
    """The trainer's registry, the models bucket and the serving pointer, in memory."""

    def __init__(self) -> None:
        self.current: RegistryCurrent | None = None
        self.versions: dict[str, RegistryVersion] = {}
        self.bundles: dict[str, dict[str, bytes]] = {}
        self.pointers: list[ModelPointer] = []
        self.refused: list[BundleRefusedError] = []
        self.fetched: list[str] = []
        self.on_fetch: Callable[[], None] = lambda: None

    def register(self, version: str, status: str = "promoted", files: dict[str, bytes] | None = None) -> None:
        """Upload a bundle and record the gate's verdict with the hashes the trainer verified."""
        files = files if files is not None else bundle_files(version)
        self.bundles[_uri(version)] = files
        hashes = {name: sha256_hex(data) for name, data in files.items()}
        self.versions[version] = RegistryVersion(
            version=version, status=status, bundle_uri=_uri(version), file_hashes=hashes
        )

    def promote(self, version: str, at: datetime = NOW - timedelta(minutes=10)) -> None:
        """Move the registry's CURRENT, as a promotion or `airline model rollback` does."""
        self.current = RegistryCurrent(version=version, bundle_uri=_uri(version), updated_at=at)

    def fetch(self, uri: str) -> Mapping[str, bytes]:
        self.fetched.append(uri)
        self.on_fetch()
        return self.bundles[uri]

    def deps(self) -> ReloadDeps:
        return ReloadDeps(
            models_bucket=BUCKET,
            read_current=lambda: self.current,
            read_version=self.versions.get,
            fetch_bundle=self.fetch,
            read_pointer=lambda: self.pointers[-1] if self.pointers else None,
            write_pointer=self.pointers.append,
            on_refused=self.refused.append,
            now=lambda: NOW,
        )

    @property
    def served(self) -> list[str]:
        return [p.version for p in self.pointers]


def _event(version: str = "v2", **detail: Any) -> dict[str, Any]:
    envelope = load_event("eventbridge_model_updated")
    envelope["detail"] |= {"version": version, "bundle_uri": _uri(version), **detail}
    return envelope


def test_the_registry_current_is_verified_and_served() -> None:
    # Given v2 promoted in the registry
    world = World()
    world.register("v2")
    world.promote("v2")
    # When its ModelUpdated arrives
    outcome = handle_model_updated(_event("v2"), world.deps())
    # Then the pointer names v2, with the registry's promotion time
    assert (outcome.pointer.version, outcome.moved, outcome.event_disagreed) == ("v2", True, False)
    assert world.pointers == [
        ModelPointer(version="v2", bundle_uri=_uri("v2"), promoted_at=NOW - timedelta(minutes=10))
    ]


def test_a_late_event_for_an_older_version_keeps_serving_the_registry_current() -> None:
    # Given v3 is the registry's CURRENT and already served
    world = World()
    for version in ("v2", "v3"):
        world.register(version)
    world.promote("v3")
    handle_model_updated(_event("v3"), world.deps())
    # When the ModelUpdated of v2 arrives late
    outcome = handle_model_updated(_event("v2"), world.deps())
    # Then v3 stays, and the disagreement is reported
    assert (outcome.pointer.version, outcome.moved, outcome.event_disagreed) == ("v3", False, True)
    assert world.served == ["v3"]


def test_a_forged_event_for_a_rejected_bundle_never_serves_it() -> None:
    # Given v1 promoted and v2 rejected by the quality gate (a valid bundle, hashes and all)
    world = World()
    world.register("v1")
    world.register("v2", status="rejected")
    world.promote("v1")
    files = bundle_files("v2")
    hashes = {name: sha256_hex(data) for name, data in files.items()}
    # When a forged ModelUpdated names v2 with its true hashes
    outcome = handle_model_updated(_event("v2", file_hashes=hashes), world.deps())
    # Then v1 is served and v2 never was, not even downloaded
    assert world.served == ["v1"]
    assert outcome.event_disagreed
    assert _uri("v2") not in world.fetched


def test_an_event_dated_in_the_future_is_refused_and_the_pointer_untouched() -> None:
    # Given v1 promoted
    world = World()
    world.register("v1")
    world.promote("v1")
    # When a forged ModelUpdated dated 2099 arrives
    with pytest.raises(BundleRefusedError, match="promoted_at 2099-01-01T00:00:00\\+00:00 is in the future"):
        handle_model_updated(_event("v1", promoted_at=FORGED_AT), world.deps())
    # Then it is reported and nothing moved
    assert world.pointers == []
    assert [e.version for e in world.refused] == ["v1"]


def test_an_event_within_the_clock_skew_is_accepted() -> None:
    world = World()
    world.register("v2")
    world.promote("v2")
    handle_model_updated(_event("v2", promoted_at=(NOW + timedelta(minutes=4)).isoformat()), world.deps())
    assert world.served == ["v2"]


def test_a_rollback_after_a_forged_future_event_changes_what_is_served() -> None:
    # Given v1 then v2 promoted, a pointer frozen in 2099 by the old ordering rule, and a refused forged event
    world = World()
    for version in ("v1", "v2"):
        world.register(version)
    world.promote("v2")
    world.pointers.append(
        ModelPointer(version="v2", bundle_uri=_uri("v2"), promoted_at=datetime(2099, 1, 1, tzinfo=UTC))
    )
    with pytest.raises(BundleRefusedError, match="in the future"):
        handle_model_updated(_event("v2", promoted_at=FORGED_AT), world.deps())
    # When the operator rolls back to v1 (registry CURRENT moves, ModelUpdated(cause=rollback) follows)
    world.promote("v1", at=NOW)
    outcome = handle_model_updated(_event("v1", cause="rollback", promoted_at=NOW.isoformat()), world.deps())
    # Then v1 is served
    assert (outcome.pointer.version, outcome.moved) == ("v1", True)
    assert world.served[-1] == "v1"


def test_a_registry_current_naming_a_rejected_version_is_refused() -> None:
    world = World()
    world.register("v2", status="rejected")
    world.promote("v2")
    with pytest.raises(BundleRefusedError, match="recorded as rejected; only promoted versions are served"):
        handle_model_updated(_event("v2"), world.deps())
    assert world.pointers == []


def test_a_registry_current_dated_in_the_future_is_refused() -> None:
    world = World()
    world.register("v2")
    world.promote("v2", at=datetime(2099, 1, 1, tzinfo=UTC))
    with pytest.raises(BundleRefusedError, match="CURRENT updated_at 2099-01-01T00:00:00\\+00:00 is in the future"):
        handle_model_updated(_event("v2"), world.deps())
    assert world.pointers == []


def test_an_event_before_any_promotion_is_refused() -> None:
    world = World()
    world.register("v2")
    with pytest.raises(BundleRefusedError, match="no CURRENT version"):
        handle_model_updated(_event("v2"), world.deps())
    assert world.pointers == []


def test_a_bundle_changed_after_registration_is_refused() -> None:
    # Given v2 promoted, then its bundle replaced in S3 by another self-consistent bundle
    world = World()
    world.register("v2")
    world.promote("v2")
    world.bundles[_uri("v2")] = bundle_files("v2", bias=3.0)
    # When its ModelUpdated arrives, Then the hashes recorded by the registry refuse it
    with pytest.raises(
        BundleRefusedError, match=r"differ from the hashes the registry recorded: manifest\.json, model"
    ):
        handle_model_updated(_event("v2"), world.deps())
    assert world.pointers == []


def test_a_corrupted_bundle_is_refused_reported_and_the_pointer_untouched() -> None:
    world = World()
    world.register("v2")
    world.promote("v2")
    world.bundles[_uri("v2")] = bundle_files("v2") | {MODEL_FILE: b"corrupt"}
    with pytest.raises(BundleRefusedError, match=r"'v2' refused: .*model\.npz: sha256"):
        handle_model_updated(_event("v2"), world.deps())
    assert world.pointers == []
    assert [e.version for e in world.refused] == ["v2"]


def test_the_manifest_version_must_match_the_registry() -> None:
    world = World()
    world.register("v2", files=bundle_files("v9"))
    world.promote("v2")
    with pytest.raises(BundleRefusedError, match="manifest version is 'v9'"):
        handle_model_updated(_event("v2"), world.deps())


def test_a_bundle_outside_the_models_bucket_is_refused_without_download() -> None:
    world = World()
    world.register("v2")
    world.versions["v2"] = world.versions["v2"].model_copy(update={"bundle_uri": "s3://someone-else/bundles/v2/"})
    world.current = RegistryCurrent(version="v2", bundle_uri="s3://someone-else/bundles/v2/", updated_at=NOW)
    with pytest.raises(BundleRefusedError, match="outside the models bucket"):
        handle_model_updated(_event("v2"), world.deps())
    assert world.fetched == []


def test_a_pointer_already_on_the_current_version_is_not_rewritten() -> None:
    world = World()
    world.register("v2")
    world.promote("v2")
    handle_model_updated(_event("v2"), world.deps())
    outcome = handle_model_updated(_event("v2"), world.deps())
    assert (outcome.moved, world.served, len(world.fetched)) == (False, ["v2"], 1)


def test_the_pointer_follows_a_current_that_moves_during_verification() -> None:
    # Given v2 is CURRENT, and v3 gets promoted while v2's bundle is being downloaded
    world = World()
    for version in ("v2", "v3"):
        world.register(version)
    world.promote("v2")
    world.on_fetch = lambda: world.promote("v3") if world.current and world.current.version == "v2" else None
    # When v2's ModelUpdated is handled
    outcome = handle_model_updated(_event("v2"), world.deps())
    # Then the last pointer written is v3, the registry's CURRENT at the end
    assert world.served == ["v2", "v3"]
    assert outcome.pointer.version == "v3"


def test_a_current_that_never_settles_is_retried_later() -> None:
    world = World()
    for version in ("v2", "v3"):
        world.register(version)
    world.promote("v2")
    world.on_fetch = lambda: world.promote("v3" if world.current and world.current.version == "v2" else "v2")
    with pytest.raises(SourceUnavailableError, match="moved 3 times"):
        handle_model_updated(_event("v2"), world.deps())


def test_other_event_types_are_rejected() -> None:
    with pytest.raises(ValueError, match="expected a ModelUpdated event"):
        handle_model_updated(load_event("features_ready"), World().deps())


def test_a_model_updated_from_another_source_is_rejected() -> None:
    envelope = _event("v2") | {"source": "airline.ingest"}
    with pytest.raises(ValueError, match=r"from 'airline\.ingest'"):
        handle_model_updated(envelope, World().deps())


def test_registry_hashes_include_the_manifest() -> None:
    # The trainer records manifest.json's hash too: a registry entry without it refuses the bundle
    world = World()
    world.register("v2")
    entry = world.versions["v2"]
    world.versions["v2"] = entry.model_copy(
        update={"file_hashes": {k: v for k, v in entry.file_hashes.items() if k != MANIFEST_FILE}}
    )
    world.promote("v2")
    with pytest.raises(BundleRefusedError, match=r"manifest\.json"):
        handle_model_updated(_event("v2"), world.deps())
