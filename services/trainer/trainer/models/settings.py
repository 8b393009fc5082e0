"""Typed configuration, one settings model per handler, read from the environment once per cold start.

Required settings have no default: a missing variable fails the cold start with a pydantic ValidationError
naming it, instead of a silent fallback.
"""

from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

S3_URI = r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/.*)?$"
#: SageMaker job names are [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}; the prefix leaves room for "-<timestamp>-<hash>".
JOB_NAME_PREFIX_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,37}$"
ROLE_ARN = r"^arn:aws[a-z\-]*:iam::\d{12}:role/.+$"


class _Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True, case_sensitive=False)


class RegistrySettings(_Settings):
    """What every registry user needs (evaluation handler, rollback, `airline model list`)."""

    registry_table: str = Field(min_length=3, max_length=255)
    event_bus_name: str = Field(min_length=1)


class EvaluationSettings(RegistrySettings):
    """Settings of the training state-change handler (verify, gate, promote)."""

    models_bucket: str = Field(min_length=3, max_length=63)
    job_name_prefix: str = Field(
        pattern=JOB_NAME_PREFIX_PATTERN, description="Only jobs named '<prefix>-...' are ours."
    )
    gate_tolerance: float = Field(default=0.005, ge=0, le=1)
    max_artifact_bytes: int = Field(default=256 * 1024 * 1024, gt=0, description="Cap on model.tar.gz size.")
    max_bundle_file_bytes: int = Field(default=256 * 1024 * 1024, gt=0, description="Cap per extracted file.")
    max_bundle_total_bytes: int = Field(default=512 * 1024 * 1024, gt=0, description="Cap on all extracted files.")


class TrainingLaunchSettings(_Settings):
    """Settings of the FeaturesReady handler (CreateTrainingJob request, TrainingFailed when it is refused)."""

    event_bus_name: str = Field(min_length=1)
    models_bucket: str = Field(min_length=3, max_length=63)
    job_name_prefix: str = Field(pattern=JOB_NAME_PREFIX_PATTERN)
    training_image_uri: str = Field(min_length=1, description="SageMaker scikit-learn framework image URI.")
    sagemaker_role_arn: str = Field(pattern=ROLE_ARN)
    source_archive_uri: str = Field(pattern=S3_URI, description="s3://.../sourcedir.tar.gz (build_source_archive.py).")
    entry_point: str = Field(default="train.py", min_length=1)
    instance_type: str = Field(default="ml.m5.xlarge", pattern=r"^ml\.[a-z0-9.]+$")
    instance_count: int = Field(default=1, ge=1, le=1, description="The training script is single-node.")
    volume_size_gb: int = Field(default=30, ge=1, le=16384)
    use_spot: bool = False
    max_runtime_seconds: int = Field(default=3600, ge=60, le=432000)
    max_wait_seconds: int | None = Field(default=None, description="Spot only; default 2 x max_runtime_seconds.")
    model_kind: Literal["hgb", "seed-rf"] = "hgb"
    eval_months: int = Field(default=2, ge=1, le=24)
    aws_region: str | None = Field(default=None, description="Lambda's AWS_REGION, passed as sagemaker_region.")

    @model_validator(mode="after")
    def _spot_wait_covers_runtime(self) -> Self:
        if self.max_wait_seconds is not None and self.max_wait_seconds < self.max_runtime_seconds:
            raise ValueError(
                f"MAX_WAIT_SECONDS ({self.max_wait_seconds}) must be >= MAX_RUNTIME_SECONDS ({self.max_runtime_seconds})"
            )
        return self

    @property
    def spot_max_wait_seconds(self) -> int:
        """MaxWaitTimeInSeconds for managed spot (>= MaxRuntimeInSeconds, as SageMaker requires)."""
        return self.max_wait_seconds if self.max_wait_seconds is not None else 2 * self.max_runtime_seconds
