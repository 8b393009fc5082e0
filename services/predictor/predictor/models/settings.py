"""Settings of the predictor functions, validated once per cold start (no scattered os.environ)."""

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class PredictorSettings(BaseSettings):
    """Where the predict API finds its model: a local bundle folder, or the SSM pointer + models bucket."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    model_dir: Path | None = Field(default=None, description="Local bundle folder (airline serve / predict).")
    models_bucket: str | None = Field(default=None, description="Bucket holding bundles/<version>/.")
    model_pointer_param: str | None = Field(
        default=None, description='SSM parameter holding {"version", "bundle_uri"}.'
    )
    pointer_max_age_seconds: int = Field(default=30, ge=0, le=3600, description="Cache age of the pointer read.")

    @model_validator(mode="after")
    def _one_source(self) -> "PredictorSettings":
        if self.model_dir is None and not self.model_pointer_param:
            raise ValueError("set MODEL_DIR (a local bundle folder) or MODEL_POINTER_PARAM (the SSM pointer name)")
        return self


class ReloadSettings(BaseSettings):
    """The reload function: verifies bundles in the models bucket and moves the SSM pointer."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    models_bucket: str = Field(min_length=3)
    model_pointer_param: str = Field(min_length=1)


class ObservabilitySettings(BaseSettings):
    """Powertools metrics namespace (env POWERTOOLS_METRICS_NAMESPACE), defaulted so metrics never fail to flush."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    powertools_metrics_namespace: str = "AirlinePipeline"
