"""SQS (EventBridge rule on the custom bus, FeaturesReady) -> start one SageMaker training job per features run."""

import json
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from trainer.adapters.wiring import build_launch_deps
from trainer.logic.launch import handle_features_ready
from trainer.logic.ports import LaunchDeps
from trainer.models.settings import TrainingLaunchSettings

logger = Logger()
metrics = Metrics()
tracer = Tracer()
processor = BatchProcessor(event_type=EventType.SQS)


@cache
def _deps() -> LaunchDeps:
    return build_launch_deps(TrainingLaunchSettings())


def record_handler(record: SQSRecord) -> dict[str, Any]:
    outcome = handle_features_ready(json.loads(record.body), _deps())
    if outcome.refused:
        metric = "TrainingJobRefused"
    else:
        metric = "TrainingJobStarted" if outcome.created else "DuplicateFeaturesReady"
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
    logger.info("features ready handled", outcome=outcome.model_dump())
    return outcome.model_dump()


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
