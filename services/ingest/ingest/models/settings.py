"""Configuration of the ingest function, read from the environment once per cold start."""

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024**2
GIB = 1024**3


class SniffLimits(BaseSettings):
    """How much of a file the sniffer may read, and what counts as an absurd archive."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    sample_rows: int = Field(default=1000, ge=1, le=1_000_000)
    #: Upper bound on decompressed bytes read for the header + sample (a row budget alone
    #: would not bound a file without newlines).
    max_sample_bytes: int = Field(default=8 * 1024 * 1024, ge=4096)
    #: A plain (or gzip) file the ETL streams, never unpacks.
    max_uncompressed_bytes: int = Field(default=50 * GIB, ge=1)
    #: Every member of a zip is checked against this ratio (members above 1 MiB).
    max_compression_ratio: float = Field(default=200.0, gt=1)
    #: All members of a zip together, as the central directory declares them: the ETL unpacks the CSVs
    #: to local disk (a Glue G.1X worker has 64 GB), so far below the plain-file limit; the largest real
    #: input, the 11.5 GB ASA file, still fits zipped.
    max_archive_bytes: int = Field(default=16 * GIB, ge=1)
    max_zip_members: int = Field(default=1000, ge=1)
    #: Decompressed bytes read to the end of a gzip / the CSV members of a zip to check CRC-32 and length
    #: (truncated or corrupt files are refused); larger files are accepted unverified (the ETL isolates them).
    max_verify_bytes: int = Field(default=512 * MIB, ge=0)


class IngestSettings(SniffLimits):
    """Environment of the ingest Lambda; required names have no default on purpose."""

    event_bus_name: str = Field(min_length=1)
    manifest_table: str = Field(min_length=1)
    idempotency_table: str = Field(min_length=1)
    quarantine_prefix: str = "quarantine/"
    idempotency_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    powertools_service_name: str = "ingest"
    powertools_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    powertools_metrics_namespace: str = "AirlinePipeline"

    @field_validator("quarantine_prefix")
    @classmethod
    def _prefix_ends_with_slash(cls, value: str) -> str:
        if not value or value.startswith("/") or not value.endswith("/"):
            raise ValueError("QUARANTINE_PREFIX must be a non-empty key prefix ending with '/', e.g. 'quarantine/'")
        return value

    def sniff_limits(self) -> SniffLimits:
        """The sniffer's limits alone (logic never sees table or bus names)."""
        return SniffLimits.model_validate(self.model_dump(include=set(SniffLimits.model_fields)))
