"""Daily schedule (EventBridge Scheduled Event): start a run if data files are not yet in a good run."""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from etl_trigger.adapters.deps import build_trigger_deps
from etl_trigger.logic.ports import TriggerDeps
from etl_trigger.logic.start_run import handle_schedule
from etl_trigger.models.settings import ScheduleSettings

logger = Logger()
metrics = Metrics()
tracer = Tracer()


@cache
def deps() -> TriggerDeps:
    return build_trigger_deps(ScheduleSettings())  # type: ignore[call-arg]


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    parse(event=event, model=EventBridgeModel)
    outcome = handle_schedule(deps())
    logger.info("scheduled start attempt", extra=outcome.model_dump())
    metrics.add_metric(name="EtlRunsStarted", unit=MetricUnit.Count, value=int(outcome.started))
    return outcome.model_dump()
