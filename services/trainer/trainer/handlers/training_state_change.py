"""SQS (default-bus rule, "SageMaker Training Job State Change" for this stage's jobs) -> verify, gate, promote."""

import json
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from trainer.adapters.wiring import build_evaluation_deps
from trainer.logic.evaluation import handle_training_state_change
from trainer.logic.ports import EvaluationDeps
from trainer.models.settings import EvaluationSettings

logger = Logger()
metrics = Metrics()
tracer = Tracer()
processor = BatchProcessor(event_type=EventType.SQS)


@cache
def _deps() -> EvaluationDeps:
    return build_evaluation_deps(EvaluationSettings())


def record_handler(record: SQSRecord) -> dict[str, Any]:
    outcome = handle_training_state_change(json.loads(record.body), _deps())
    metrics.add_metric(name=f"Training{outcome.action.capitalize()}", unit=MetricUnit.Count, value=1)
    logger.info("training state change handled", outcome=outcome.model_dump())
    return outcome.model_dump()


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
