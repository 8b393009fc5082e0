"""SageMaker CreateTrainingJob, idempotent by job name."""

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError

from trainer.logic.errors import TrainingJobRefusedError

#: CreateTrainingJob errors a retry cannot fix: a quota (e.g. spot instances at 0 on a new account), an invalid
#: request, a missing resource or a denied permission. Throttling and internal errors are raised to be retried.
NOT_RETRYABLE_CODES = frozenset(
    {"ResourceLimitExceeded", "ValidationException", "ResourceNotFound", "AccessDeniedException"}
)


class SageMakerTrainingJobs:
    @cached_property
    def _sagemaker(self) -> Any:
        return boto3.client("sagemaker")

    def exists(self, name: str) -> bool:
        try:
            self._sagemaker.describe_training_job(TrainingJobName=name)
        except ClientError as exc:
            # DescribeTrainingJob answers ValidationException "Could not find training job" for unknown names.
            if exc.response.get("Error", {}).get("Code") in ("ValidationException", "ResourceNotFound"):
                return False
            raise
        return True

    def start(self, request: Mapping[str, Any]) -> bool:
        """Create the job; False when one of that name exists already (checked first, and ResourceInUse on a race).

        Raises TrainingJobRefusedError for NOT_RETRYABLE_CODES, ClientError for the rest (retried).
        """
        if self.exists(request["TrainingJobName"]):
            return False
        try:
            self._sagemaker.create_training_job(**request)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            if code == "ResourceInUse":
                return False
            if code in NOT_RETRYABLE_CODES:
                raise TrainingJobRefusedError(code, str(error.get("Message", ""))) from exc
            raise
        return True
