"""Lambda entry point: SQS batch of S3 "Object Created" envelopes (EventBridge rule -> SQS -> Lambda).

Each record is processed on its own; failed records are reported back (partial batch response)
so SQS retries only them and moves them to the DLQ after maxReceiveCount.
"""

from functools import lru_cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from ingest.adapters.wiring import build_ingest_deps
from ingest.logic.ingest import IngestDeps, handle_object_created
from ingest.models.events import ObjectCreatedSqsRecord
from ingest.models.settings import IngestSettings

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, model=ObjectCreatedSqsRecord)


@lru_cache(maxsize=1)
def ingest_deps() -> IngestDeps:
    """Settings validated and adapters built once per cold start."""
    return build_ingest_deps(IngestSettings())


def ingest_record(record: ObjectCreatedSqsRecord) -> dict[str, Any]:
    outcome = handle_object_created(record.body, deps=ingest_deps())
    logger.info("object ingested", extra={"outcome": outcome.model_dump(mode="json")})
    metrics.add_metric(name=f"Files{outcome.status.capitalize()}", unit=MetricUnit.Count, value=1)
    return outcome.model_dump(mode="json")


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    ingest_deps().idempotency_config.register_lambda_context(context)
    return dict(
        process_partial_response(event=event, record_handler=ingest_record, processor=processor, context=context)
    )
