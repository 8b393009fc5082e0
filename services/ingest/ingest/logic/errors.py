"""Typed domain errors of the ingest service."""

from airline_shared.events import RejectionReason


class IngestError(Exception):
    """Base of every ingest error."""


class FileRejected(IngestError):
    """The file is not something the pipeline can use; it goes to quarantine with `reason`."""

    def __init__(self, code: str, message: str) -> None:
        self.reason = RejectionReason.model_validate({"code": code, "message": message})
        super().__init__(f"{code}: {message}")


class ObjectChanged(IngestError):
    """The object was overwritten while being read (its ETag no longer matches); a newer event follows."""


class ObjectGone(IngestError):
    """The object no longer exists (deleted before it could be read)."""


class QuarantineFailed(IngestError):
    """The quarantine copy could not be verified; the original is left untouched and the event retried."""


class EventPublishFailed(IngestError):
    """EventBridge refused the event; raised so that the SQS message is retried."""
