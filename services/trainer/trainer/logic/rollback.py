"""Operator actions on the registry: list versions, roll the CURRENT pointer back to an earlier promoted version."""

from airline_shared.events import ModelUpdated

from trainer.logic.errors import UnknownVersionError, VersionNotPromotableError
from trainer.logic.ports import RegistryDeps
from trainer.models.registry import CurrentPointer, ModelListing, model_updated_event


def rollback_model(version: str, deps: RegistryDeps) -> ModelUpdated:
    """Point CURRENT at `version` (one conditional write) and emit ModelUpdated(cause="rollback").

    Raises UnknownVersionError, VersionNotPromotableError (rejected or already current),
    RegistryConflictError when the pointer moved meanwhile.
    """
    target = deps.registry.get_version(version)
    if target is None:
        known = sorted(v.version for v in deps.registry.list_versions())
        raise UnknownVersionError(f"no model version {version!r} in the registry; known versions: {known}")
    if target.status != "promoted":
        raise VersionNotPromotableError(
            f"version {version!r} was {target.status} by the quality gate ({target.gate_reason}); "
            "only versions that were once promoted can be served"
        )
    current = deps.registry.get_current()
    if current is not None and current.version == version:
        raise VersionNotPromotableError(f"version {version!r} is already the current model")
    pointer = CurrentPointer(
        version=target.version,
        bundle_uri=target.bundle_uri,
        previous_version=current.version if current else None,
        cause="rollback",
        updated_at=deps.now(),
    )
    deps.registry.move_pointer(pointer, expected_current=pointer.previous_version)
    event = model_updated_event(target, pointer)
    deps.events.publish(event)
    return event


def list_models(deps: RegistryDeps) -> list[ModelListing]:
    """Every registered version, oldest first, with the current one marked."""
    current = deps.registry.get_current()
    entries = sorted(deps.registry.list_versions(), key=lambda e: (e.registered_at, e.version))
    return [ModelListing(entry=e, is_current=current is not None and current.version == e.version) for e in entries]
