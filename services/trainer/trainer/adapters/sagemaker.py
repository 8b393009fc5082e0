"""SageMaker CreateTrainingJob, idempotent by job name."""

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError


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
        """Create the job; False when one of that name exists already (checked first, and ResourceInUse on a race)."""
        if self.exists(request["TrainingJobName"]):
            return False
        try:
            self._sagemaker.create_training_job(**request)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceInUse":
                return False
            raise
        return True
