"""Settings per handler, read from the environment once per cold start (no silent defaults for names)."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class TriggerSettings(BaseSettings):
    """What every etl-trigger function needs to start and track runs."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    glue_job_name: str = Field(min_length=1)
    processed_bucket: str = Field(min_length=3)
    runs_table: str = Field(min_length=1)
    event_bus_name: str = Field(min_length=1)
    features_prefix: str = Field(default="features/", pattern=r"^[^/].*/$")
    runs_prefix: str = Field(default="runs/", pattern=r"^[^/].*/$")
    #: A lock older than this is taken over (its Glue event was lost); keep it above the Glue timeout.
    run_lock_ttl_minutes: int = Field(default=360, gt=0)
    #: Where files a run left out are copied in their raw bucket (the ingest service's QUARANTINE_PREFIX).
    quarantine_prefix: str = Field(default="quarantine/", pattern=r"^[^/].*/$")


class RawFilesAcceptedSettings(TriggerSettings):
    """Settings of handlers/raw_files_accepted.py."""


class ScheduleSettings(TriggerSettings):
    """Settings of handlers/schedule.py."""


class GlueStateChangeSettings(TriggerSettings):
    """Settings of handlers/glue_state_change.py: also the catalog table pointed at each new snapshot."""

    glue_database: str = Field(min_length=1)
    features_table: str = Field(default="features", min_length=1)
