"""rollback_model / list_models against the in-memory registry."""

from datetime import UTC, datetime, timedelta
from typing import Literal

import pytest
from airline_shared.events import ModelUpdated
from trainer.logic.errors import UnknownVersionError, VersionNotPromotableError
from trainer.logic.ports import RegistryDeps
from trainer.logic.rollback import list_models, rollback_model
from trainer.models.registry import CurrentPointer, ModelVersion
from trainer_support import FIXED_NOW, FakeEvents, FakeRegistry

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _entry(version: str, status: Literal["promoted", "rejected"], day: int) -> ModelVersion:
    return ModelVersion(
        version=version,
        status=status,
        bundle_uri=f"s3://airline-dev-models/bundles/{version}",
        metrics={"roc_auc": 0.8, "pr_auc": 0.4},
        file_hashes={"model.npz": "ab" * 32},
        model_kind="hgb",
        training_job_name=f"airline-dev-{version}",
        features_uri="s3://airline-dev-processed/features/snapshots/r/",
        created_at=T0,
        registered_at=T0 + timedelta(days=day),
        gate_reason="test",
    )


@pytest.fixture
def history(registry: FakeRegistry) -> FakeRegistry:
    """v1 promoted, v2 rejected, v3 promoted and current."""
    for entry in (_entry("v1", "promoted", 1), _entry("v2", "rejected", 2), _entry("v3", "promoted", 3)):
        registry.versions[entry.version] = entry
    registry.current = CurrentPointer(
        version="v3", bundle_uri="s3://airline-dev-models/bundles/v3", previous_version="v1", cause="promoted",
        updated_at=T0,
    )  # fmt: skip
    return registry


def test_rollback_moves_the_pointer_and_announces_the_cause(
    history: FakeRegistry, registry_deps: RegistryDeps, events: FakeEvents
) -> None:
    # When rolling back to v1
    event = rollback_model("v1", registry_deps)
    # Then CURRENT is v1 and ModelUpdated(cause=rollback) names v3 as previous
    assert history.current is not None
    assert (history.current.version, history.current.cause) == ("v1", "rollback")
    assert events.published == [event]
    assert isinstance(event, ModelUpdated)
    assert (event.version, event.previous_version, event.cause) == ("v1", "v3", "rollback")
    assert event.bundle_uri == "s3://airline-dev-models/bundles/v1"
    assert event.promoted_at == FIXED_NOW


def test_rollback_to_unknown_version_lists_the_known_ones(history: FakeRegistry, registry_deps: RegistryDeps) -> None:
    with pytest.raises(UnknownVersionError, match=r"known versions: \['v1', 'v2', 'v3'\]"):
        rollback_model("v9", registry_deps)
    assert history.current is not None and history.current.version == "v3"


def test_rollback_to_a_rejected_candidate_is_refused(
    history: FakeRegistry, registry_deps: RegistryDeps, events: FakeEvents
) -> None:
    with pytest.raises(VersionNotPromotableError, match="rejected"):
        rollback_model("v2", registry_deps)
    assert events.published == []


def test_rollback_to_the_current_version_is_refused(history: FakeRegistry, registry_deps: RegistryDeps) -> None:
    with pytest.raises(VersionNotPromotableError, match="already the current"):
        rollback_model("v3", registry_deps)


def test_list_models_is_oldest_first_with_the_current_marked(
    history: FakeRegistry, registry_deps: RegistryDeps
) -> None:
    rows = list_models(registry_deps)
    assert [(r.entry.version, r.is_current) for r in rows] == [("v1", False), ("v2", False), ("v3", True)]
