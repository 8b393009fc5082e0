"""Typed errors of the etl-trigger service (mapped to retries/DLQ by the handlers)."""


class EtlTriggerError(Exception):
    """Base of every etl-trigger domain error."""


class InvalidEventError(EtlTriggerError, ValueError):
    """An incoming event does not match the expected envelope; the message says which field."""


class GlueConcurrencyLimitError(EtlTriggerError):
    """Glue refused the run (ConcurrentRunsExceededException): the files stay pending."""


class ObjectMissingError(EtlTriggerError):
    """An S3 object the logic needs (run summary, inputs list) does not exist."""


class EventPublishError(EtlTriggerError):
    """EventBridge rejected an entry (FailedEntryCount > 0)."""


class FeaturesTableMissingError(EtlTriggerError):
    """The Glue Data Catalog features table to point at a new snapshot does not exist."""
