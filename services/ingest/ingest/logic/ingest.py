"""The ingest decision for one S3 "Object Created" event: accept (manifest + event) or quarantine.

Pure: storage, manifest, event bus and idempotency store are passed in (`IngestDeps`).
"""

import io
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from airline_shared.events import EventDetail, RawFileAccepted, RawFileRejected
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer

from ingest.logic.errors import FileRejected
from ingest.logic.sniff import sniff_file
from ingest.models.events import ObjectCreatedDetail, ObjectCreatedEnvelope, parse_object_created
from ingest.models.files import ContentClaim, IngestOutcome, ManifestRecord, QuarantineNote, SniffedFile
from ingest.models.settings import SniffLimits

IDEMPOTENCY_KEY_PREFIX = "ingest.object_created"


@dataclass(frozen=True)
class StoredObject:
    """The object as it exists now (after resolving a possibly URL-encoded event key).

    Its fields are the identity every manifest record and ingest event carries (`asdict(stored)`).
    """

    bucket: str
    key: str
    etag: str
    size: int

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


class ObjectStore(Protocol):
    def locate(self, bucket: str, keys: list[str]) -> StoredObject | None:
        """The first of `keys` that exists in `bucket`, or None."""
        ...

    def open(self, stored: StoredObject) -> io.BufferedIOBase:
        """A seekable reader over exactly that version (raises ObjectChanged if it was overwritten)."""
        ...

    def quarantine(self, stored: StoredObject, quarantine_key: str, note: QuarantineNote) -> None:
        """Copy the object to `quarantine_key`, verify the copy, write the note beside it."""
        ...


class Manifest(Protocol):
    def put(self, record: ManifestRecord) -> None: ...

    def claim_content(self, claim: ContentClaim) -> ContentClaim:
        """Store `claim` unless its identity is already claimed (conditional write); the claim that holds."""
        ...

    def reassign_content(self, claim: ContentClaim, previous_owner_uri: str) -> bool:
        """Move the identity to `claim.owner_uri` if `previous_owner_uri` still holds it."""
        ...


class EventPublisher(Protocol):
    def publish(self, detail: EventDetail) -> None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class IngestDeps:
    store: ObjectStore
    manifest: Manifest
    events: EventPublisher
    idempotency_store: BasePersistenceLayer
    limits: SniffLimits = field(default_factory=SniffLimits)
    quarantine_prefix: str = "quarantine/"
    idempotency_config: IdempotencyConfig = field(default_factory=IdempotencyConfig)
    clock: Callable[[], datetime] = utc_now


def handle_object_created(
    event: dict[str, Any] | ObjectCreatedEnvelope | ObjectCreatedDetail, *, deps: IngestDeps
) -> IngestOutcome:
    """Ingest the object of one "Object Created" envelope (or its detail), at most once per bucket/key/etag.

    Raises pydantic.ValidationError for a malformed event and IngestError subclasses for failures
    worth a retry (the idempotency record is released, so the retry runs again).
    """
    detail = parse_object_created(event)
    skip = ignore_reason(detail.object.key, deps.quarantine_prefix)
    if skip:
        return IngestOutcome(status="ignored", uri=detail.uri, etag=detail.object.etag, detail=skip)
    ingest_once = idempotent_function(
        _ingest_object,
        data_keyword_argument="object_ref",
        persistence_store=deps.idempotency_store,
        config=deps.idempotency_config,
        key_prefix=IDEMPOTENCY_KEY_PREFIX,
    )
    object_ref = {"bucket": detail.bucket.name, "key": detail.object.key, "etag": detail.object.etag}
    return IngestOutcome.model_validate(ingest_once(object_ref=object_ref, detail=detail, deps=deps))


def ignore_reason(key: str, quarantine_prefix: str) -> str:
    """Why a key is not ingested at all ('' when it is): our own quarantine output and folder markers."""
    if key.startswith(quarantine_prefix):
        return (
            f"under the quarantine prefix {quarantine_prefix!r}: quarantined copies and reasons are never re-ingested"
        )
    if key.endswith("/"):
        return "folder marker, not a file"
    return ""


def _ingest_object(*, object_ref: dict[str, str], detail: ObjectCreatedDetail, deps: IngestDeps) -> dict[str, Any]:
    """Body run once per idempotency key; returns a JSON-able IngestOutcome."""
    stored = deps.store.locate(detail.bucket.name, detail.key_candidates())
    if stored is None:
        outcome = IngestOutcome(status="ignored", uri=detail.uri, etag=detail.object.etag, detail="object deleted")
    elif detail.object.etag and stored.etag != detail.object.etag:
        outcome = IngestOutcome(
            status="ignored", uri=stored.uri, etag=detail.object.etag, detail="object overwritten; newer event follows"
        )
    else:
        outcome = _sniff_and_route(stored, deps)
    return outcome.model_dump(mode="json")


def _sniff_and_route(stored: StoredObject, deps: IngestDeps) -> IngestOutcome:
    try:
        with deps.store.open(stored) as reader:
            sniffed = sniff_file(reader, stored.size, deps.limits)
    except FileRejected as rejection:
        return quarantine_file(stored, rejection, deps)
    now = deps.clock()
    first = content_owner(stored, deps)
    if first is not None:
        return record_duplicate(stored, sniffed, first, deps)
    deps.manifest.put(
        ManifestRecord(
            uri=stored.uri,
            **asdict(stored),
            status="accepted",
            format=sniffed.format,
            compression=sniffed.compression,
            rows_sampled=sniffed.rows_sampled,
            accepted_at=now,
            integrity_checked=sniffed.integrity_checked,
        )
    )
    deps.events.publish(
        RawFileAccepted(
            **asdict(stored),
            format=sniffed.format,
            compression=sniffed.compression,
            rows_sampled=sniffed.rows_sampled,
            accepted_at=now,
        )
    )
    return IngestOutcome(status="accepted", uri=stored.uri, etag=stored.etag, format=sniffed.format)


def content_owner(stored: StoredObject, deps: IngestDeps) -> str | None:
    """URI of an earlier object with the same bytes (size + ETag) that still holds them; None when
    `stored` is the first (it then owns the identity). An owner deleted or overwritten since hands over."""
    claim = ContentClaim(
        uri=ContentClaim.identity(stored.size, stored.etag), owner_uri=stored.uri, **asdict(stored),
        claimed_at=deps.clock(),
    )  # fmt: skip
    for _ in range(3):  # a lost race to take over an identity is retried a bounded number of times
        held = deps.manifest.claim_content(claim)
        if held.owner_uri == stored.uri:
            return None
        current = deps.store.locate(held.bucket, [held.key])
        if current is not None and current.etag == held.etag:
            return held.owner_uri
        if deps.manifest.reassign_content(claim, held.owner_uri):
            return None
    return held.owner_uri


def record_duplicate(stored: StoredObject, sniffed: SniffedFile, first_uri: str, deps: IngestDeps) -> IngestOutcome:
    """The same bytes as `first_uri`: recorded as its duplicate, no RawFileAccepted (not processed again)."""
    deps.manifest.put(
        ManifestRecord(
            uri=stored.uri,
            **asdict(stored),
            status="duplicate",
            format=sniffed.format,
            compression=sniffed.compression,
            rows_sampled=sniffed.rows_sampled,
            duplicate_of=first_uri,
            duplicate_at=deps.clock(),
        )
    )
    return IngestOutcome(
        status="duplicate",
        uri=stored.uri,
        etag=stored.etag,
        format=sniffed.format,
        duplicate_of=first_uri,
        detail=f"same bytes (size {stored.size}, ETag {stored.etag}) as {first_uri}; not processed again",
    )


def quarantine_file(stored: StoredObject, rejection: FileRejected, deps: IngestDeps) -> IngestOutcome:
    """Copy a rejected file to the quarantine prefix with its reason, record it and emit RawFileRejected.

    The original stays where it was (nothing is deleted); raises QuarantineFailed if the copy is not verified.
    """
    now = deps.clock()
    quarantine_key = f"{deps.quarantine_prefix}{stored.key}"
    reason = rejection.reason
    note = QuarantineNote(
        reason=reason.message,
        code=reason.code,
        original_uri=stored.uri,
        quarantine_uri=f"s3://{stored.bucket}/{quarantine_key}",
        etag=stored.etag,
        size=stored.size,
        rejected_at=now,
    )
    deps.store.quarantine(stored, quarantine_key, note)
    deps.manifest.put(
        ManifestRecord(
            uri=stored.uri,
            **asdict(stored),
            status="rejected",
            reason=reason,
            quarantine_key=quarantine_key,
            rejected_at=now,
        )
    )
    deps.events.publish(
        RawFileRejected(
            **asdict(stored),
            reason=reason,
            quarantine_key=quarantine_key,
            rejected_at=now,
        )
    )
    return IngestOutcome(
        status="rejected",
        uri=stored.uri,
        etag=stored.etag,
        detail=reason.message,
        reason_code=reason.code,
        quarantine_key=quarantine_key,
    )
