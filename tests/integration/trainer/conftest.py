"""moto-backed AWS for the trainer: models bucket, registry table, custom bus whose trainer events land in SQS."""

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from airline_shared.events import ModelRejected, ModelUpdated, TrainingFailed, event_pattern
from moto import mock_aws
from trainer_support import ENV, EVENT_BUS, MODELS_BUCKET, create_registry_table


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket=MODELS_BUCKET)
        create_registry_table()
        yield


@pytest.fixture
def captured_events(aws: None) -> Callable[[], list[dict[str, Any]]]:
    """Route the trainer's events on the custom bus to SQS; returns a reader of the envelopes delivered so far."""
    events, sqs = boto3.client("events"), boto3.client("sqs")
    events.create_event_bus(Name=EVENT_BUS)
    queue_url = sqs.create_queue(QueueName="trainer-events-capture")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = event_pattern(ModelUpdated, ModelRejected, TrainingFailed)
    events.put_rule(Name="capture", EventBusName=EVENT_BUS, EventPattern=json.dumps(pattern))
    events.put_targets(Rule="capture", EventBusName=EVENT_BUS, Targets=[{"Id": "q", "Arn": queue_arn}])
    seen: list[dict[str, Any]] = []

    def read() -> list[dict[str, Any]]:
        while True:
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                return list(seen)
            for message in messages:
                seen.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    return read
