"""What each logic entry point did, returned to handlers (logged) and to the local cloud."""

from typing import Literal

from pydantic import BaseModel, ConfigDict


class LaunchOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    training_job_name: str
    run_id: str
    created: bool  # False: the job for this features run already existed (duplicate delivery), or was refused
    refused: str | None = None  # SageMaker's reason when it refused the job (TrainingFailed was published)


class TrainingOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    training_job_name: str
    action: Literal["ignored", "promoted", "rejected", "invalid", "failed", "duplicate"]
    version: str | None = None
    reason: str


class GateDecision(BaseModel):
    """The quality gate's verdict on a candidate against the champion."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    promote: bool
    reason: str
