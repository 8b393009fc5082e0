"""Typed domain errors of the trainer.

InvalidBundleError and its subclasses end as a `TrainingFailed(status="Invalid")` event, TrainingJobRefusedError
as a `TrainingFailed(status="Failed")` event; the registry errors are raised to the caller (the SQS record is retried, or the CLI prints the message).
"""


class TrainerError(Exception):
    """Base of every trainer domain error."""


class InvalidBundleError(TrainerError):
    """The training output is not a bundle we may serve (bad archive, manifest, hashes, model, smoke test)."""


class UnsafeArchiveError(InvalidBundleError):
    """model.tar.gz holds a path traversal, a link/device, a nested path or exceeds a size cap."""


class ArtifactNotFoundError(InvalidBundleError):
    """The job reported Completed but its model.tar.gz is missing."""


class ArtifactTooLargeError(InvalidBundleError):
    """model.tar.gz is larger than the configured cap."""


class RegistryConflictError(TrainerError):
    """A conditional registry write lost a race (pointer moved or version already recorded); retry."""


class UnknownVersionError(TrainerError):
    """No registry entry for the requested version."""


class VersionNotPromotableError(TrainerError):
    """Rollback target was never promoted (rejected candidates cannot be served) or is already current."""


class EventPublishError(TrainerError):
    """EventBridge did not accept an event."""


class TrainingJobRefusedError(TrainerError):
    """SageMaker refused CreateTrainingJob for a reason a retry cannot fix (quota, validation, access).

    `code` is SageMaker's error code (e.g. ResourceLimitExceeded); the launch ends as `TrainingFailed`.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"CreateTrainingJob refused ({code}): {message}")
        self.code = code
