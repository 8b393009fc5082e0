"""FeaturesReady -> one SageMaker training job per features run (idempotent by a deterministic job name)."""

import hashlib
import re
from datetime import UTC
from typing import Any

from airline_shared.events import FeaturesReady, TrainingFailed

from trainer.logic.errors import TrainingJobRefusedError
from trainer.logic.ports import LaunchDeps
from trainer.models.incoming import FeaturesReadyEnvelope
from trainer.models.outcomes import LaunchOutcome
from trainer.models.settings import TrainingLaunchSettings

TRAINING_JOBS_PREFIX = "training-jobs"
CHECKPOINTS_PREFIX = "checkpoints"
RUN_ID_TAG = "airline:features-run-id"
_TAG_UNSAFE = re.compile(r"[^\w.:/=+\-@ ]")


def build_job_name(prefix: str, features: FeaturesReady) -> str:
    """`<prefix>-<features completed_at UTC YYYYMMDD-HHMMSS>-<sha256(run_id)[:8]>`: same run -> same name."""
    stamp = features.completed_at.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    digest = hashlib.sha256(features.run_id.encode()).hexdigest()[:8]
    name = f"{prefix}-{stamp}-{digest}"
    if len(name) > 63:
        raise ValueError(f"training job name {name!r} exceeds 63 characters; shorten JOB_NAME_PREFIX")
    return name


def _tag_value(value: str) -> str:
    return _TAG_UNSAFE.sub("_", value)[:256]


def build_training_job_request(features: FeaturesReady, settings: TrainingLaunchSettings) -> dict[str, Any]:
    """The CreateTrainingJob request (scikit-learn framework image, script mode, optional managed spot)."""
    job_name = build_job_name(settings.job_name_prefix, features)
    hyperparameters = {
        "sagemaker_program": settings.entry_point,
        "sagemaker_submit_directory": settings.source_archive_uri,
        "model": settings.model_kind,
        "eval-months": str(settings.eval_months),
        "training-data-uri": features.features_uri,  # recorded in the bundle manifest
    }
    if settings.aws_region:
        hyperparameters["sagemaker_region"] = settings.aws_region
    stopping: dict[str, int] = {"MaxRuntimeInSeconds": settings.max_runtime_seconds}
    request: dict[str, Any] = {
        "TrainingJobName": job_name,
        "AlgorithmSpecification": {"TrainingImage": settings.training_image_uri, "TrainingInputMode": "File"},
        "RoleArn": settings.sagemaker_role_arn,
        "HyperParameters": hyperparameters,
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": features.features_uri,
                        "S3DataDistributionType": "FullyReplicated",
                    }
                },
                "InputMode": "File",
            }
        ],
        "OutputDataConfig": {"S3OutputPath": f"s3://{settings.models_bucket}/{TRAINING_JOBS_PREFIX}/"},
        "ResourceConfig": {
            "InstanceType": settings.instance_type,
            "InstanceCount": settings.instance_count,
            "VolumeSizeInGB": settings.volume_size_gb,
        },
        "StoppingCondition": stopping,
        "EnableManagedSpotTraining": settings.use_spot,
        "Tags": [
            {"Key": RUN_ID_TAG, "Value": _tag_value(features.run_id)},
            {"Key": "airline:glue-job-run-id", "Value": _tag_value(features.job_run_id)},
        ],
    }
    if settings.use_spot:
        stopping["MaxWaitTimeInSeconds"] = settings.spot_max_wait_seconds
        request["CheckpointConfig"] = {"S3Uri": f"s3://{settings.models_bucket}/{CHECKPOINTS_PREFIX}/{job_name}/"}
    return request


def handle_features_ready(envelope: dict[str, Any], deps: LaunchDeps) -> LaunchOutcome:
    """Start training for one FeaturesReady envelope; a redelivery finds the job and creates nothing.

    A job SageMaker refuses for good (e.g. ResourceLimitExceeded: no spot quota) is reported as TrainingFailed
    instead of being retried into the DLQ. Raises pydantic.ValidationError for a malformed envelope, botocore
    errors from SageMaker that a retry may fix, and EventPublishError.
    """
    features = FeaturesReadyEnvelope.model_validate(envelope).detail
    request = build_training_job_request(features, deps.settings)
    name = request["TrainingJobName"]
    try:
        created = deps.jobs.start(request)
    except TrainingJobRefusedError as exc:
        failed = TrainingFailed(
            training_job_name=name,
            status="Failed",
            reason=str(exc),
            features_uri=features.features_uri,
            failed_at=deps.now(),
        )
        deps.events.publish(failed)
        return LaunchOutcome(training_job_name=name, run_id=features.run_id, created=False, refused=str(exc))
    return LaunchOutcome(training_job_name=name, run_id=features.run_id, created=created)
