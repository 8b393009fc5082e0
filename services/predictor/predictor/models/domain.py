"""Predictor domain models and typed errors."""

from dataclasses import dataclass
from datetime import datetime

from airline_shared.bundle import BundleManifest, DelayLookups
from airline_shared.scoring import TreeEnsemble
from pydantic import BaseModel, ConfigDict, Field


class ModelPointer(BaseModel):
    """The SSM pointer value: which promoted bundle the predictor serves."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: str = Field(min_length=1)
    bundle_uri: str = Field(min_length=1)
    promoted_at: datetime | None = Field(
        default=None, description="When the registry's CURRENT moved to this version (informational)."
    )


class RegistryCurrent(BaseModel):
    """The trainer's registry item `pk = "CURRENT"`: the version the predictor must serve (the source of truth)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: str = Field(min_length=1)
    bundle_uri: str = Field(min_length=1)
    updated_at: datetime


class RegistryVersion(BaseModel):
    """The trainer's registry item `pk = "VERSION#<version>"`: its gate verdict and the hashes it verified."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: str = Field(min_length=1)
    status: str
    bundle_uri: str
    file_hashes: dict[str, str]


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """One verified bundle, immutable: swapped by reference so a request sees exactly one version."""

    version: str
    manifest: BundleManifest
    ensemble: TreeEnsemble
    lookups: DelayLookups
    loaded_at: datetime
    source: str
    feature_names: tuple[str, ...]


class PredictorError(Exception):
    """Base of the predictor's typed errors."""


class ModelUnavailableError(PredictorError):
    """No model has been promoted yet (or none could be loaded): the API answers 503."""


class SourceUnavailableError(PredictorError):
    """The pointer or the bundle could not be read right now (throttling, network, permissions); retry later."""


class PayloadTooLargeError(PredictorError):
    """The request body exceeds MAX_BODY_BYTES: the API answers 413."""


class BundleRefusedError(PredictorError):
    """A bundle failed verification (hashes, format, smoke prediction); the pointer is not moved."""

    def __init__(self, version: str, reason: str) -> None:
        super().__init__(f"bundle {version!r} refused: {reason}")
        self.version = version
        self.reason = reason


class RegistryUnreadableError(PredictorError):
    """A model registry item does not parse: nothing is served from it until the trainer rewrites it."""


class InvalidJsonError(PredictorError):
    """The body is JSON the API will not parse (too deep, an over-long integer, NaN/Infinity): the API answers 400."""
