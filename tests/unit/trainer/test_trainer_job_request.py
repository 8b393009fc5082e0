"""CreateTrainingJob request building and FeaturesReady idempotency (logic with a fake launcher)."""

import re
from typing import Any

import pytest
from airline_shared.events import FeaturesReady
from helpers import load_event
from pydantic import ValidationError
from trainer.logic.launch import build_job_name, build_training_job_request, handle_features_ready
from trainer.logic.ports import LaunchDeps
from trainer_support import FakeLauncher, launch_settings

SAGEMAKER_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")


def _features(**overrides: Any) -> FeaturesReady:
    detail = load_event("features_ready")["detail"] | overrides
    return FeaturesReady.model_validate(detail)


def test_job_name_is_prefix_utc_timestamp_and_run_hash() -> None:
    # Given the FeaturesReady fixture (completed 2026-11-26T00:58:12Z)
    name = build_job_name("airline-dev", _features())
    # Then the name follows airline-<stage>-<UTC timestamp>-<8 hex> and SageMaker's name rules
    assert re.fullmatch(r"airline-dev-20261126-005812-[0-9a-f]{8}", name)
    assert SAGEMAKER_NAME.fullmatch(name)


def test_job_name_is_the_same_for_the_same_run_and_differs_across_runs() -> None:
    first = build_job_name("airline-dev", _features())
    again = build_job_name("airline-dev", _features())
    other = build_job_name("airline-dev", _features(run_id="another-run"))
    assert first == again
    assert other != first


def test_longest_allowed_prefix_still_fits_63_characters() -> None:
    # Given the longest prefix the settings accept
    prefix = "a" * 38
    settings = launch_settings(job_name_prefix=prefix)
    # When a job name is built / Then it is valid for SageMaker
    name = build_job_name(settings.job_name_prefix, _features())
    assert len(name) <= 63
    assert SAGEMAKER_NAME.fullmatch(name)


def test_too_long_prefix_is_refused_by_the_settings() -> None:
    with pytest.raises(ValidationError, match="job_name_prefix"):
        launch_settings(job_name_prefix="a" * 39)


def test_request_uses_script_mode_on_the_framework_image() -> None:
    # Given default settings
    settings = launch_settings()
    # When the request is built
    request = build_training_job_request(_features(), settings)
    # Then the scikit-learn image runs train.py from the source archive in File mode
    assert request["AlgorithmSpecification"] == {
        "TrainingImage": settings.training_image_uri,
        "TrainingInputMode": "File",
    }
    hp = request["HyperParameters"]
    assert hp["sagemaker_program"] == "train.py"
    assert hp["sagemaker_submit_directory"] == settings.source_archive_uri
    assert hp["model"] == "hgb"
    assert hp["eval-months"] == "2"
    assert hp["training-data-uri"] == _features().features_uri
    assert all(isinstance(v, str) for v in hp.values())
    assert request["RoleArn"] == settings.sagemaker_role_arn


def test_request_reads_the_features_snapshot_and_writes_to_the_models_bucket() -> None:
    features = _features()
    request = build_training_job_request(features, launch_settings())
    [channel] = request["InputDataConfig"]
    assert channel["ChannelName"] == "train"
    assert channel["DataSource"]["S3DataSource"] == {
        "S3DataType": "S3Prefix",
        "S3Uri": features.features_uri,
        "S3DataDistributionType": "FullyReplicated",
    }
    assert request["OutputDataConfig"] == {
        "S3OutputPath": "s3://airline-dev-models-123456789012-us-east-1/training-jobs/"
    }
    assert request["ResourceConfig"]["InstanceType"] == "ml.m5.xlarge"
    assert request["ResourceConfig"]["InstanceCount"] == 1
    assert {"Key": "airline:features-run-id", "Value": features.run_id} in request["Tags"]


def test_on_demand_request_has_no_spot_settings() -> None:
    request = build_training_job_request(_features(), launch_settings(use_spot=False, max_runtime_seconds=1800))
    assert request["EnableManagedSpotTraining"] is False
    assert request["StoppingCondition"] == {"MaxRuntimeInSeconds": 1800}
    assert "CheckpointConfig" not in request


def test_spot_request_waits_at_least_the_runtime_and_checkpoints_per_job() -> None:
    # Given spot enabled without an explicit wait
    request = build_training_job_request(_features(), launch_settings(use_spot=True, max_runtime_seconds=1800))
    # Then the wait defaults to twice the runtime and checkpoints go under the job's own prefix
    assert request["EnableManagedSpotTraining"] is True
    assert request["StoppingCondition"] == {"MaxRuntimeInSeconds": 1800, "MaxWaitTimeInSeconds": 3600}
    name = request["TrainingJobName"]
    assert request["CheckpointConfig"] == {
        "S3Uri": f"s3://airline-dev-models-123456789012-us-east-1/checkpoints/{name}/"
    }


def test_spot_wait_shorter_than_runtime_is_refused() -> None:
    with pytest.raises(ValidationError, match="MAX_WAIT_SECONDS"):
        launch_settings(use_spot=True, max_runtime_seconds=3600, max_wait_seconds=600)


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the Lambda environment variables
    env = {
        "EVENT_BUS_NAME": "airline-prod",
        "MODELS_BUCKET": "airline-prod-models-1-us-east-1",
        "JOB_NAME_PREFIX": "airline-prod",
        "TRAINING_IMAGE_URI": "img",
        "SAGEMAKER_ROLE_ARN": "arn:aws:iam::123456789012:role/r",
        "SOURCE_ARCHIVE_URI": "s3://airline-prod-models-1-us-east-1/code/sourcedir.tar.gz",
        "USE_SPOT": "true",
        "MAX_RUNTIME_SECONDS": "900",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    # When settings are built without arguments
    from trainer.models.settings import TrainingLaunchSettings

    settings = TrainingLaunchSettings()
    # Then every variable is typed and defaults apply to the rest
    assert settings.use_spot is True
    assert settings.max_runtime_seconds == 900
    assert settings.instance_type == "ml.m5.xlarge"


def test_same_features_ready_delivered_twice_creates_one_job(launch_deps: LaunchDeps, launcher: FakeLauncher) -> None:
    # Given one FeaturesReady envelope
    envelope = load_event("features_ready")
    # When it is handled twice (SQS at-least-once delivery)
    first = handle_features_ready(envelope, launch_deps)
    second = handle_features_ready(envelope, launch_deps)
    # Then one job exists and the second call reports it as existing
    assert first.created and not second.created
    assert first.training_job_name == second.training_job_name
    assert list(launcher.jobs) == [first.training_job_name]


def test_malformed_features_ready_is_refused_before_any_job(launch_deps: LaunchDeps, launcher: FakeLauncher) -> None:
    envelope = load_event("features_ready")
    envelope["detail"]["features_uri"] = "/local/path"
    with pytest.raises(ValidationError, match="features_uri"):
        handle_features_ready(envelope, launch_deps)
    assert launcher.jobs == {}
