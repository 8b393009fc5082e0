"""The model registry records: one item per model version plus the CURRENT pointer (rollback = one pointer change)."""

from datetime import datetime
from typing import Literal

from airline_shared.events import ModelUpdated
from pydantic import BaseModel, ConfigDict, Field

VersionStatus = Literal["promoted", "rejected"]


class ModelVersion(BaseModel):
    """One verified bundle the gate has judged; `promoted` versions are valid rollback targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(min_length=1)
    status: VersionStatus
    bundle_uri: str
    metrics: dict[str, float]
    file_hashes: dict[str, str]
    model_kind: str
    training_job_name: str
    features_uri: str
    created_at: datetime
    registered_at: datetime
    gate_reason: str
    champion_version: str | None = None


class CurrentPointer(BaseModel):
    """The version the predictor should serve."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(min_length=1)
    bundle_uri: str
    previous_version: str | None = None
    cause: Literal["promoted", "rollback"]
    updated_at: datetime


def model_updated_event(entry: ModelVersion, pointer: CurrentPointer) -> ModelUpdated:
    """The ModelUpdated announcing that `pointer` now serves `entry` (promotion, re-announcement or rollback)."""
    return ModelUpdated(
        version=entry.version,
        bundle_uri=entry.bundle_uri,
        metrics=entry.metrics,
        file_hashes=entry.file_hashes,
        previous_version=pointer.previous_version,
        cause=pointer.cause,
        promoted_at=pointer.updated_at,
    )


class ModelListing(BaseModel):
    """A row of `airline model list`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entry: ModelVersion
    is_current: bool
