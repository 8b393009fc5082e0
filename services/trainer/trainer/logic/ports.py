"""What the logic needs from the outside world, and the dependency bundles the entry points take.

Real implementations live in `trainer.adapters`; tests pass in-memory fakes.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from airline_shared.events import EventDetail

from trainer.models.registry import CurrentPointer, ModelVersion
from trainer.models.settings import EvaluationSettings, TrainingLaunchSettings


def utc_now() -> datetime:
    return datetime.now(UTC)


class TrainingJobLauncher(Protocol):
    def start(self, request: Mapping[str, Any]) -> bool:
        """Create the training job; False when a job of that name already exists.

        Raises TrainingJobRefusedError when SageMaker refuses it for a reason a retry cannot fix.
        """
        ...


class ArtifactStore(Protocol):
    def read_object(self, uri: str, max_bytes: int) -> bytes:
        """Raises ArtifactNotFoundError / ArtifactTooLargeError."""
        ...

    def write_bundle(self, bundle_uri: str, files: Mapping[str, bytes]) -> None:
        """Write every file under the prefix, manifest.json last."""
        ...


class ModelRegistry(Protocol):
    def get_current(self) -> CurrentPointer | None: ...

    def get_version(self, version: str) -> ModelVersion | None: ...

    def list_versions(self) -> list[ModelVersion]: ...

    def record_promotion(self, entry: ModelVersion, pointer: CurrentPointer, expected_current: str | None) -> None:
        """Atomically add `entry` and move the pointer; raises RegistryConflictError on a lost race."""
        ...

    def record_rejection(self, entry: ModelVersion) -> None:
        """Add `entry`; raises RegistryConflictError when the version exists."""
        ...

    def move_pointer(self, pointer: CurrentPointer, expected_current: str | None) -> None:
        """Raises RegistryConflictError when the pointer is no longer `expected_current`."""
        ...


class EventPublisher(Protocol):
    def publish(self, detail: EventDetail) -> None:
        """Raises EventPublishError when the bus rejects the event."""
        ...


@dataclass(frozen=True)
class LaunchDeps:
    jobs: TrainingJobLauncher
    events: EventPublisher
    settings: TrainingLaunchSettings
    now: Callable[[], datetime] = field(default=utc_now)


@dataclass(frozen=True)
class EvaluationDeps:
    artifacts: ArtifactStore
    registry: ModelRegistry
    events: EventPublisher
    settings: EvaluationSettings
    now: Callable[[], datetime] = field(default=utc_now)


@dataclass(frozen=True)
class RegistryDeps:
    registry: ModelRegistry
    events: EventPublisher
    now: Callable[[], datetime] = field(default=utc_now)
