"""The events etl-trigger consumes, as EventBridge envelopes (Powertools parser models)."""

from typing import Literal

from airline_shared.events import RawFileAccepted
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, ConfigDict, Field

GLUE_TERMINAL_STATES = frozenset({"SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED"})


class RawFileAcceptedEvent(EventBridgeModel):
    """`RawFileAccepted` from the ingest service on the custom bus; detail is the shared contract."""

    source: Literal["airline.ingest"]
    detail_type: Literal["RawFileAccepted"] = Field(alias="detail-type")
    detail: RawFileAccepted  # type: ignore[assignment]


class GlueJobStateChange(BaseModel):
    """`detail` of AWS "Glue Job State Change"; the run's Arguments are not in it (use GetJobRun)."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    job_name: str = Field(alias="jobName", min_length=1)
    job_run_id: str = Field(alias="jobRunId", min_length=1)
    state: str = Field(min_length=1)
    message: str | None = None
    severity: str | None = None


class GlueJobStateChangeEvent(EventBridgeModel):
    """AWS "Glue Job State Change" on the default bus."""

    source: Literal["aws.glue"]
    detail_type: Literal["Glue Job State Change"] = Field(alias="detail-type")
    detail: GlueJobStateChange  # type: ignore[assignment]
