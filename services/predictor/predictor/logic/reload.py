"""Consume ModelUpdated: verify the new bundle end to end, and only then move the serving pointer."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from airline_shared.bundle import MANIFEST_FILE
from airline_shared.events import ModelUpdated, parse_detail, split_s3_uri
from airline_shared.scoring import verified_file_hashes

from predictor.logic.bundle import load_model
from predictor.models.domain import BundleRefusedError, LoadedModel, ModelPointer, ModelUnavailableError


@dataclass(frozen=True)
class ReloadDeps:
    """What the reload needs from the outside world (S3 reader, pointer writer, refusal reporter)."""

    models_bucket: str
    fetch_bundle: Callable[[str], Mapping[str, bytes]]
    write_pointer: Callable[[ModelPointer], None]
    on_refused: Callable[[BundleRefusedError], None] = lambda _error: None
    read_pointer: Callable[[], ModelPointer | None] = lambda: None


@dataclass(frozen=True)
class ReloadOutcome:
    """The verified model and the pointer now in effect (unchanged when the event was older than it)."""

    model: LoadedModel
    pointer: ModelPointer
    moved: bool


def handle_model_updated(envelope: dict[str, Any], deps: ReloadDeps) -> ReloadOutcome:
    """Verify the promoted bundle (bucket, hashes vs event and manifest, format, smoke prediction), then put the pointer.

    The pointer is not moved back by an event older than the promotion it already holds.

    Raises BundleRefusedError (after reporting it) so the message is retried and lands in the DLQ;
    the pointer is left untouched, so the previous model keeps serving. Raises pydantic
    ValidationError / ValueError for an envelope that is not a ModelUpdated event.
    """
    detail = parse_detail(envelope["detail-type"], envelope["detail"])
    if not isinstance(detail, ModelUpdated):
        raise ValueError(f"expected a ModelUpdated event, got {envelope['detail-type']!r}")
    try:
        model = verify_promoted_bundle(detail, deps)
    except BundleRefusedError as error:
        deps.on_refused(error)
        raise
    current = _current_pointer(deps)
    if current is not None and current.promoted_at is not None and current.promoted_at > detail.promoted_at:
        return ReloadOutcome(model, current, moved=False)  # a newer promotion already won (out-of-order delivery)
    pointer = ModelPointer(version=model.version, bundle_uri=detail.bundle_uri, promoted_at=detail.promoted_at)
    deps.write_pointer(pointer)
    return ReloadOutcome(model, pointer, moved=True)


def _current_pointer(deps: ReloadDeps) -> ModelPointer | None:
    try:
        return deps.read_pointer()
    except ModelUnavailableError:  # malformed value: the promotion overwrites it
        return None


def verify_promoted_bundle(detail: ModelUpdated, deps: ReloadDeps) -> LoadedModel:
    """The loaded bundle named by the event, or BundleRefusedError saying why it must not serve."""
    bucket, _ = split_s3_uri(detail.bundle_uri)
    if bucket != deps.models_bucket:
        raise BundleRefusedError(
            detail.version, f"bundle {detail.bundle_uri} is outside the models bucket {deps.models_bucket}"
        )
    files = deps.fetch_bundle(detail.bundle_uri)
    try:
        model = load_model(files, source=detail.bundle_uri)
    except BundleRefusedError as error:
        raise BundleRefusedError(detail.version, error.reason) from error
    if model.version != detail.version:
        raise BundleRefusedError(
            detail.version, f"manifest version is {model.version!r}, the event says {detail.version!r}"
        )
    digests = verified_file_hashes(model.manifest, files[MANIFEST_FILE])  # load_model verified the files
    mismatched = sorted(name for name, digest in detail.file_hashes.items() if digests.get(name) != digest)
    if mismatched:
        raise BundleRefusedError(detail.version, f"files differ from the hashes in the event: {', '.join(mismatched)}")
    return model
