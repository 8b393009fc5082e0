"""Consume ModelUpdated: serve what the trainer's model registry names as CURRENT, verified end to end.

The event is only a trigger; the registry is the source of truth. Whatever the event claims, the reload reads
CURRENT, checks the registry records that version as promoted and no date lies in the future, verifies its
bundle (bucket, hashes vs the registry and the manifest, format, smoke prediction), and only then moves the
serving pointer. A forged or stale event can therefore at most make the predictor re-read the registry.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from airline_shared.bundle import MANIFEST_FILE
from airline_shared.events import ModelUpdated, parse_detail, split_s3_uri
from airline_shared.scoring import verified_file_hashes

from predictor.logic.bundle import load_model
from predictor.models.domain import (
    BundleRefusedError,
    LoadedModel,
    ModelPointer,
    ModelUnavailableError,
    RegistryCurrent,
    RegistryVersion,
    SourceUnavailableError,
)

#: Clocks of the trainer, EventBridge and this function may disagree by this much; later dates are refused.
MAX_CLOCK_SKEW = timedelta(minutes=5)
#: Times the pointer follows a registry CURRENT that moves while a bundle is being verified.
MAX_FOLLOW_ATTEMPTS = 3


@dataclass(frozen=True)
class ReloadDeps:
    """What the reload needs from the outside world: registry reads, bundle reader, serving pointer, clock."""

    models_bucket: str
    read_current: Callable[[], RegistryCurrent | None]
    read_version: Callable[[str], RegistryVersion | None]
    fetch_bundle: Callable[[str], Mapping[str, bytes]]
    read_pointer: Callable[[], ModelPointer | None]
    write_pointer: Callable[[ModelPointer], None]
    on_refused: Callable[[BundleRefusedError], None] = lambda _error: None
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


@dataclass(frozen=True)
class ReloadOutcome:
    """The pointer now in effect (the registry's CURRENT), whether it moved, and the version the event claimed."""

    pointer: ModelPointer
    moved: bool
    event_version: str

    @property
    def event_disagreed(self) -> bool:
        """The event named another version than the registry's CURRENT (stale, out of order, or forged)."""
        return self.event_version != self.pointer.version


def handle_model_updated(envelope: dict[str, Any], deps: ReloadDeps) -> ReloadOutcome:
    """Serve the registry's CURRENT version on any valid ModelUpdated; the event's own claims are not trusted.

    Raises BundleRefusedError (after reporting it) for an event dated in the future, a registry CURRENT that is
    not a promoted version or dated in the future, or a bundle failing verification: the message is retried and
    lands in the DLQ, the pointer is untouched. Raises SourceUnavailableError when the registry, S3 or SSM cannot
    be read, pydantic ValidationError / ValueError for an envelope that is not a ModelUpdated event.
    """
    detail = parse_model_updated(envelope)
    try:
        refuse_future(detail.version, "the event's promoted_at", detail.promoted_at, deps.now())
        pointer, moved = follow_registry(deps)
    except BundleRefusedError as error:
        deps.on_refused(error)
        raise
    return ReloadOutcome(pointer, moved, detail.version)


def parse_model_updated(envelope: dict[str, Any]) -> ModelUpdated:
    """The ModelUpdated detail of an EventBridge envelope; raises ValueError for any other event."""
    if envelope.get("source") != ModelUpdated.SOURCE or envelope.get("detail-type") != ModelUpdated.DETAIL_TYPE:
        raise ValueError(
            f"expected a ModelUpdated event from {ModelUpdated.SOURCE}, "
            f"got {envelope.get('detail-type')!r} from {envelope.get('source')!r}"
        )
    detail = parse_detail(envelope["detail-type"], envelope["detail"])
    assert isinstance(detail, ModelUpdated)  # parse_detail picks the model by detail-type
    return detail


def follow_registry(deps: ReloadDeps) -> tuple[ModelPointer, bool]:
    """Point serving at the registry's CURRENT (verified); returns (pointer, whether it moved).

    The registry is read again after the write: when CURRENT moved meanwhile (a concurrent promotion or
    rollback whose reload may already have run), the pointer follows it, so the last write always agrees.
    """
    moved = False
    for _ in range(MAX_FOLLOW_ATTEMPTS):
        target, entry = registry_target(deps)
        served = _served_pointer(deps)
        if served is None or (served.version, served.bundle_uri) != (target.version, target.bundle_uri):
            verify_registered_bundle(target, entry.file_hashes, deps)
            deps.write_pointer(target)
            moved = True
        confirmed = deps.read_current()
        if confirmed is not None and (confirmed.version, confirmed.bundle_uri) == (target.version, target.bundle_uri):
            return target, moved
    raise SourceUnavailableError(f"the registry's CURRENT moved {MAX_FOLLOW_ATTEMPTS} times while following it")


def registry_target(deps: ReloadDeps) -> tuple[ModelPointer, RegistryVersion]:
    """The pointer to the registry's CURRENT version and its version item.

    Raises BundleRefusedError unless the registry allows serving it (promoted, not dated in the future).
    """
    current = deps.read_current()
    if current is None:
        raise BundleRefusedError("<none>", "the model registry has no CURRENT version: nothing was promoted")
    refuse_future(current.version, "the registry's CURRENT updated_at", current.updated_at, deps.now())
    entry = deps.read_version(current.version)
    if entry is None or entry.status != "promoted":
        verdict = "never judged" if entry is None else f"recorded as {entry.status}"
        raise BundleRefusedError(
            current.version, f"the registry's CURRENT names a version {verdict}; only promoted versions are served"
        )
    if entry.bundle_uri != current.bundle_uri:
        raise BundleRefusedError(
            current.version, f"CURRENT names bundle {current.bundle_uri}, the version item {entry.bundle_uri}"
        )
    return ModelPointer(version=current.version, bundle_uri=current.bundle_uri, promoted_at=current.updated_at), entry


def refuse_future(version: str, what: str, moment: datetime, now: datetime) -> None:
    """Raise BundleRefusedError when `moment` lies beyond the clock skew in the future (forged or broken clock)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment > now + MAX_CLOCK_SKEW:
        raise BundleRefusedError(
            version, f"{what} {moment.isoformat()} is in the future (now {now.isoformat()}); refused"
        )


def verify_registered_bundle(target: ModelPointer, registered: Mapping[str, str], deps: ReloadDeps) -> LoadedModel:
    """The loaded bundle of the registry's CURRENT, or BundleRefusedError saying why it must not serve.

    `registered` are the SHA-256 the trainer verified (manifest.json included): every file must match them.
    """
    bucket, _ = split_s3_uri(target.bundle_uri)
    if bucket != deps.models_bucket:
        raise BundleRefusedError(
            target.version, f"bundle {target.bundle_uri} is outside the models bucket {deps.models_bucket}"
        )
    files = deps.fetch_bundle(target.bundle_uri)
    try:
        model = load_model(files, source=target.bundle_uri)
    except BundleRefusedError as error:
        raise BundleRefusedError(target.version, error.reason) from error
    if model.version != target.version:
        raise BundleRefusedError(
            target.version, f"manifest version is {model.version!r}, the registry says {target.version!r}"
        )
    digests = verified_file_hashes(model.manifest, files[MANIFEST_FILE])  # load_model verified the files
    mismatched = sorted(
        name for name in digests.keys() | registered.keys() if digests.get(name) != registered.get(name)
    )
    if mismatched:
        raise BundleRefusedError(
            target.version, f"files differ from the hashes the registry recorded: {', '.join(mismatched)}"
        )
    return model


def _served_pointer(deps: ReloadDeps) -> ModelPointer | None:
    try:
        return deps.read_pointer()
    except ModelUnavailableError:  # malformed value: the reload overwrites it
        return None
