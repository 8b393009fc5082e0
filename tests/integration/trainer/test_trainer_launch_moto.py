"""FeaturesReady -> CreateTrainingJob on moto, through the real adapters and the Lambda handler."""

import importlib
from collections.abc import Iterator
from types import ModuleType

import boto3
import pytest
from helpers import load_event
from trainer.adapters.wiring import build_launch_deps
from trainer.logic.launch import handle_features_ready
from trainer.models.settings import TrainingLaunchSettings
from trainer_support import MODELS_BUCKET, sqs_event


@pytest.fixture
def features_ready() -> Iterator[ModuleType]:
    """The handler module, imported after the test environment is set (Powertools reads it at import)."""
    module = importlib.import_module("trainer.handlers.features_ready")
    module._deps.cache_clear()
    yield module
    module._deps.cache_clear()


def test_features_ready_creates_the_training_job_as_requested(aws: None) -> None:
    # Given the FeaturesReady fixture and settings from the environment
    envelope = load_event("features_ready")
    # When it is handled with the real SageMaker adapter
    outcome = handle_features_ready(envelope, build_launch_deps(TrainingLaunchSettings()))
    # Then SageMaker holds the job with our channel, output path, image and script
    job = boto3.client("sagemaker").describe_training_job(TrainingJobName=outcome.training_job_name)
    assert outcome.created
    assert job["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] == envelope["detail"]["features_uri"]
    assert job["OutputDataConfig"]["S3OutputPath"] == f"s3://{MODELS_BUCKET}/training-jobs/"
    assert job["HyperParameters"]["sagemaker_program"] == "train.py"
    assert job["HyperParameters"]["sagemaker_region"] == "us-east-1"
    assert job["AlgorithmSpecification"]["TrainingInputMode"] == "File"


def test_features_ready_delivered_twice_through_the_handler_creates_one_job(
    aws: None, lambda_context: object, features_ready: ModuleType
) -> None:
    # Given the same FeaturesReady delivered in two SQS batches
    envelope = load_event("features_ready")
    # When the Lambda handler processes both
    first = features_ready.lambda_handler(sqs_event(envelope), lambda_context)  # type: ignore[arg-type]
    second = features_ready.lambda_handler(sqs_event(envelope), lambda_context)  # type: ignore[arg-type]
    # Then both batches succeed and exactly one training job exists
    assert first == {"batchItemFailures": []}
    assert second == {"batchItemFailures": []}
    jobs = boto3.client("sagemaker").list_training_jobs()["TrainingJobSummaries"]
    assert len(jobs) == 1
    assert jobs[0]["TrainingJobName"].startswith("airline-dev-20261126-005812-")


def test_malformed_record_is_reported_as_a_batch_item_failure(
    aws: None, lambda_context: object, features_ready: ModuleType
) -> None:
    # Given one good and one malformed FeaturesReady in the same batch
    good = load_event("features_ready")
    bad = load_event("features_ready")
    del bad["detail"]["features_uri"]
    # When handled
    response = features_ready.lambda_handler(sqs_event(good, bad), lambda_context)  # type: ignore[arg-type]
    # Then only the bad record goes back to the queue (and later to the DLQ)
    assert response == {"batchItemFailures": [{"itemIdentifier": "msg-1"}]}
    assert len(boto3.client("sagemaker").list_training_jobs()["TrainingJobSummaries"]) == 1
