"""SQS records whose body is a full EventBridge envelope (EventBridge rule -> SQS -> Lambda)."""

from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from pydantic import Json

from etl_trigger.models.events import GlueJobStateChangeEvent, RawFileAcceptedEvent


class RawFileAcceptedRecord(SqsRecordModel):
    body: Json[RawFileAcceptedEvent]  # type: ignore[assignment]


class GlueJobStateChangeRecord(SqsRecordModel):
    body: Json[GlueJobStateChangeEvent]  # type: ignore[assignment]
