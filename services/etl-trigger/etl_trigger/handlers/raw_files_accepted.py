"""SQS-fed `RawFileAccepted`: record every file of the batch, then start at most one run.

Bad records are reported as partial batch failures (SQS retries them, then the DLQ keeps them).
"""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from etl_trigger.adapters.deps import build_trigger_deps
from etl_trigger.logic.ports import TriggerDeps
from etl_trigger.logic.start_run import record_accepted_file, start_pending_run
from etl_trigger.models.records import RawFileAcceptedRecord
from etl_trigger.models.settings import RawFilesAcceptedSettings

logger = Logger()
metrics = Metrics()
tracer = Tracer()
processor = BatchProcessor(event_type=EventType.SQS, model=RawFileAcceptedRecord)


@cache
def deps() -> TriggerDeps:
    return build_trigger_deps(RawFilesAcceptedSettings())  # type: ignore[call-arg]


def record_handler(record: RawFileAcceptedRecord) -> None:
    recorded = record_accepted_file(record.body.detail, deps())
    logger.info(
        "file accepted", extra={"uri": f"s3://{record.body.detail.bucket}/{record.body.detail.key}", "new": recorded}
    )


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    outcome = start_pending_run(deps(), "file")
    logger.info("start attempt", extra=outcome.model_dump())
    metrics.add_metric(name="EtlRunsStarted", unit=MetricUnit.Count, value=int(outcome.started))
    return dict(response)
