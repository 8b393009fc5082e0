"""Reload on ModelUpdated: custom bus rule -> SQS (DLQ after retries) -> this function.

The event only triggers a read of the trainer's model registry, whose CURRENT version is what gets served.
Also accepts a direct EventBridge invocation (the envelope itself), which the local cloud
and a plain rule -> Lambda target use. A refusal raises, so the SQS message is
retried and then lands in the DLQ; the pointer is untouched and the previous model keeps serving.
"""

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from predictor.adapters.bundles import read_s3_bundle
from predictor.adapters.pointer import PointerStore
from predictor.adapters.registry import RegistryReader
from predictor.logic.reload import ReloadDeps, handle_model_updated
from predictor.models.domain import BundleRefusedError
from predictor.models.settings import ObservabilitySettings, ReloadSettings

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace=ObservabilitySettings.from_environ().powertools_metrics_namespace)
processor = BatchProcessor(event_type=EventType.SQS)


def report_refused(error: BundleRefusedError) -> None:
    """Log and count a refusal (alarmable metric BundleRefused): a bad bundle, registry entry or future date."""
    logger.error("model refused; pointer unchanged", extra={"model_version": error.version, "reason": error.reason})
    metrics.add_metric(name="BundleRefused", unit=MetricUnit.Count, value=1)


@cache
def reload_deps() -> ReloadDeps:
    """Adapters for the reload, built once per cold start from ReloadSettings."""
    settings = ReloadSettings.from_environ()
    store = PointerStore(settings.model_pointer_param, max_age_seconds=0)
    registry = RegistryReader(settings.registry_table)
    return ReloadDeps(
        models_bucket=settings.models_bucket,
        read_current=registry.current,
        read_version=registry.version,
        fetch_bundle=read_s3_bundle,
        read_pointer=store.read,
        write_pointer=store.write,
        on_refused=report_refused,
    )


def reload_from_envelope(envelope: dict[str, Any]) -> None:
    outcome = handle_model_updated(envelope, reload_deps())
    served = {"model_version": outcome.pointer.version, "bundle_uri": outcome.pointer.bundle_uri}
    if outcome.event_disagreed:
        logger.warning(
            "ModelUpdated disagrees with the model registry; serving the registry's CURRENT",
            extra={**served, "event_version": outcome.event_version},
        )
        metrics.add_metric(name="ModelUpdatedDisagreed", unit=MetricUnit.Count, value=1)
    if outcome.moved:
        logger.info("model pointer moved to the registry's CURRENT", extra=served)
        metrics.add_metric(name="ModelReloaded", unit=MetricUnit.Count, value=1)


def _reload_record(record: SQSRecord) -> None:
    reload_from_envelope(json.loads(record.body))


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Mapping[str, Any]:
    if "Records" not in event:  # direct EventBridge target
        reload_from_envelope(event)
        return {"batchItemFailures": []}
    return process_partial_response(event=event, record_handler=_reload_record, processor=processor, context=context)
