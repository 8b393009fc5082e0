"""Settings of the predictor functions, validated once per cold start (no scattered os.environ).

Plain pydantic models read from the environment by `from_environ` (the one place that reads it), not
pydantic-settings: its import (dotenv, CLI and cloud sources) cost ~40-60 ms of every cold start.
Field `model_dir` is read from MODEL_DIR, and so on (upper-cased field names, matched case-insensitively).
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class EnvironmentSettings(BaseModel):
    """Base of the settings models: fields come from environment variables named like the field."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Self:
        """The settings in `environ` (default: os.environ); raises pydantic ValidationError naming bad variables."""
        source = os.environ if environ is None else environ
        by_name = {key.lower(): value for key, value in source.items()}
        return cls.model_validate({name: by_name[name] for name in cls.model_fields if name in by_name})


class PredictorSettings(EnvironmentSettings):
    """Where the predict API finds its model: a local bundle folder, or the SSM pointer + models bucket."""

    model_dir: Path | None = Field(default=None, description="Local bundle folder (airline serve / predict).")
    model_pointer_param: str | None = Field(
        default=None, description='SSM parameter holding {"version", "bundle_uri"}.'
    )
    pointer_max_age_seconds: int = Field(default=30, ge=0, le=3600, description="Cache age of the pointer read.")

    @model_validator(mode="after")
    def _one_source(self) -> "PredictorSettings":
        if self.model_dir is None and not self.model_pointer_param:
            raise ValueError("set MODEL_DIR (a local bundle folder) or MODEL_POINTER_PARAM (the SSM pointer name)")
        return self


class ReloadSettings(EnvironmentSettings):
    """The reload function: reads the trainer's registry, verifies bundles in the models bucket, moves the pointer."""

    models_bucket: str = Field(min_length=3)
    model_pointer_param: str = Field(min_length=1)
    registry_table: str = Field(min_length=3, description="The trainer's model registry (DynamoDB), read-only.")


class ObservabilitySettings(EnvironmentSettings):
    """Powertools metrics namespace (env POWERTOOLS_METRICS_NAMESPACE), defaulted so metrics never fail to flush."""

    powertools_metrics_namespace: str = "AirlinePipeline"


class LambdaRuntimeSettings(EnvironmentSettings):
    """What the Lambda runtime itself sets; AWS_LAMBDA_INITIALIZATION_TYPE is present only inside Lambda."""

    aws_lambda_initialization_type: str | None = Field(
        default=None, description="on-demand, provisioned-concurrency or snap-start; None outside Lambda."
    )

    @property
    def in_lambda(self) -> bool:
        return self.aws_lambda_initialization_type is not None
