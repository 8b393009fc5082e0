"""Build the serving objects from settings (once per cold start)."""

from pathlib import Path

from aws_lambda_powertools import Logger

from predictor.adapters.bundles import read_local_bundle, read_s3_bundle
from predictor.adapters.pointer import PointerStore
from predictor.logic.serving import ModelHolder
from predictor.models.domain import BundleRefusedError, ModelPointer, SourceUnavailableError
from predictor.models.settings import PredictorSettings

logger = Logger()


def report_refused(error: BundleRefusedError) -> None:
    """Log a bundle the predictor will not serve (the previous model keeps serving)."""
    logger.error("model bundle refused", extra={"model_version": error.version, "reason": error.reason})


def report_unavailable(error: SourceUnavailableError) -> None:
    """Log a pointer/bundle read failure while the loaded model keeps serving."""
    logger.warning("model source unavailable; serving the loaded model", extra={"reason": str(error)})


def build_model_holder(settings: PredictorSettings) -> ModelHolder:
    """A holder reading a local bundle folder (MODEL_DIR) or the SSM pointer + S3 bundle."""
    if settings.model_dir is not None:
        local = ModelPointer(version="local", bundle_uri=str(settings.model_dir))
        return ModelHolder(lambda: local, lambda uri: read_local_bundle(Path(uri)), report_refused, report_unavailable)
    assert settings.model_pointer_param is not None  # guaranteed by PredictorSettings validation
    store = PointerStore(settings.model_pointer_param, settings.pointer_max_age_seconds)
    return ModelHolder(store.read, read_s3_bundle, report_refused, report_unavailable)
