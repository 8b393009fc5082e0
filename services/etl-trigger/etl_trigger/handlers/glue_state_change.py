"""SQS-fed "Glue Job State Change": emit FeaturesReady / EtlFailed, free the lock, start pending files.

A record whose processing raises (publish or catalog error) is retried by SQS, then kept in the DLQ.
"""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from etl_trigger.adapters.deps import build_trigger_deps
from etl_trigger.logic.ports import TriggerDeps
from etl_trigger.logic.settle_run import settle_glue_run
from etl_trigger.models.records import GlueJobStateChangeRecord
from etl_trigger.models.settings import GlueStateChangeSettings

logger = Logger()
metrics = Metrics()
tracer = Tracer()
processor = BatchProcessor(event_type=EventType.SQS, model=GlueJobStateChangeRecord)


@cache
def deps() -> TriggerDeps:
    return build_trigger_deps(GlueStateChangeSettings())  # type: ignore[call-arg]


def record_handler(record: GlueJobStateChangeRecord) -> None:
    outcome = settle_glue_run(record.body.detail, deps())
    logger.info("glue state change", extra=outcome.model_dump())
    if outcome.action in ("features_ready", "etl_failed"):
        metrics.add_metric(
            name="EtlRunsSucceeded" if outcome.action == "features_ready" else "EtlRunsFailed",
            unit=MetricUnit.Count,
            value=1,
        )


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )
