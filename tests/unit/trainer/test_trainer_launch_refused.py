"""A CreateTrainingJob SageMaker refuses for good (quota, validation) ends as TrainingFailed, not in the DLQ."""

from collections.abc import Mapping
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from helpers import load_event
from trainer.adapters.sagemaker import SageMakerTrainingJobs
from trainer.logic.errors import TrainingJobRefusedError
from trainer.logic.launch import build_training_job_request, handle_features_ready
from trainer.logic.ports import LaunchDeps
from trainer_support import FIXED_NOW, FakeEvents, launch_settings


class RefusingLauncher:
    """SageMaker answering every CreateTrainingJob with one non-retryable error."""

    def __init__(self, code: str) -> None:
        self.code = code

    def start(self, request: Mapping[str, Any]) -> bool:
        raise TrainingJobRefusedError(self.code, "The account-level service limit 'ml.m5.xlarge for spot' is 0")


def test_refused_job_publishes_training_failed_with_sagemakers_reason() -> None:
    # Given SageMaker refusing the job for lack of quota
    events = FakeEvents()
    deps = LaunchDeps(
        jobs=RefusingLauncher("ResourceLimitExceeded"), events=events, settings=launch_settings(), now=lambda: FIXED_NOW
    )
    envelope = load_event("features_ready")

    # When FeaturesReady is handled
    outcome = handle_features_ready(envelope, deps)

    # Then no job is created, the handler does not raise (no retry into the DLQ) and TrainingFailed names the reason
    assert not outcome.created
    assert outcome.refused and "ResourceLimitExceeded" in outcome.refused
    (failed,) = events.of_type("TrainingFailed")
    assert failed.status == "Failed"
    assert failed.training_job_name == outcome.training_job_name
    assert "ResourceLimitExceeded" in failed.reason
    assert failed.features_uri == envelope["detail"]["features_uri"]
    assert failed.failed_at == FIXED_NOW


def _stubbed_jobs(create_error: str) -> tuple[SageMakerTrainingJobs, Stubber]:
    client = boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    stubber.add_client_error("describe_training_job", "ValidationException", "Could not find training job")
    stubber.add_client_error("create_training_job", create_error, f"{create_error} from SageMaker")
    jobs = SageMakerTrainingJobs()
    jobs.__dict__["_sagemaker"] = client  # the adapter's lazily created client, replaced by the stubbed one
    return jobs, stubber


def _request() -> dict[str, Any]:
    from airline_shared.events import FeaturesReady

    features = FeaturesReady.model_validate(load_event("features_ready")["detail"])
    return build_training_job_request(features, launch_settings())


@pytest.mark.parametrize("code", ["ResourceLimitExceeded", "ValidationException"])
def test_adapter_maps_non_retryable_create_errors_to_a_refusal(code: str) -> None:
    # Given SageMaker answering CreateTrainingJob with a non-retryable error
    jobs, stubber = _stubbed_jobs(code)

    # When the adapter starts the job / Then it raises the typed refusal carrying the code
    with stubber, pytest.raises(TrainingJobRefusedError) as refused:
        jobs.start(_request())
    assert refused.value.code == code


def test_adapter_lets_throttling_through_to_be_retried() -> None:
    # Given SageMaker throttling CreateTrainingJob
    jobs, stubber = _stubbed_jobs("ThrottlingException")

    # When the adapter starts the job / Then the ClientError propagates (the SQS record is retried)
    with stubber, pytest.raises(ClientError):
        jobs.start(_request())
