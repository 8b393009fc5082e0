"""Fixtures: the ingest environment variables and a moto cloud holding the ingest stack."""

import json
from collections.abc import Iterator

import boto3
import pytest
from airline_shared.events import CUSTOM_EVENTS, event_pattern
from ingest.adapters.wiring import build_ingest_deps
from ingest.models.settings import IngestSettings
from ingest_cloud import (
    BUCKET,
    BUS,
    IDEMPOTENCY_TABLE,
    MANIFEST_TABLE,
    QUARANTINE_PREFIX,
    IngestCloud,
    object_created_pattern,
    queue,
)
from moto import mock_aws


@pytest.fixture
def ingest_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment serverless.yml gives the function."""
    env = {
        "EVENT_BUS_NAME": BUS,
        "MANIFEST_TABLE": MANIFEST_TABLE,
        "IDEMPOTENCY_TABLE": IDEMPOTENCY_TABLE,
        "QUARANTINE_PREFIX": QUARANTINE_PREFIX,
        "POWERTOOLS_SERVICE_NAME": "ingest",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def cloud(ingest_env: dict[str, str]) -> Iterator[IngestCloud]:
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_notification_configuration(
            Bucket=BUCKET, NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
        ddb = boto3.resource("dynamodb")
        ddb.create_table(
            TableName=MANIFEST_TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "uri", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "uri", "AttributeType": "S"}],
        )  # fmt: skip
        ddb.create_table(
            TableName=IDEMPOTENCY_TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )  # fmt: skip
        sqs = boto3.client("sqs")
        events = boto3.client("events")
        events.create_event_bus(Name=BUS)
        ingest_url, ingest_arn = queue(sqs, "ingest-object-created")
        events.put_rule(Name="ingest-object-created", EventPattern=json.dumps(object_created_pattern(BUCKET)))
        events.put_targets(Rule="ingest-object-created", Targets=[{"Id": "queue", "Arn": ingest_arn}])
        observer_url, observer_arn = queue(sqs, "observer")
        events.put_rule(Name="observer", EventBusName=BUS, EventPattern=json.dumps(event_pattern(*CUSTOM_EVENTS)))
        events.put_targets(Rule="observer", EventBusName=BUS, Targets=[{"Id": "queue", "Arn": observer_arn}])
        settings = IngestSettings()
        yield IngestCloud(s3, sqs, ddb, ingest_url, observer_url, settings, build_ingest_deps(settings))
