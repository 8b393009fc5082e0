"""moto-backed AWS for the etl-trigger handlers: processed bucket, runs table, Glue job + catalog,
the custom bus with a rule capturing every airline.etl event into an SQS queue."""

import importlib
import json
from collections.abc import Iterator
from types import SimpleNamespace

import boto3
import pytest
from etl_trigger_aws import BUCKET, BUS, DATABASE, JOB, RAW_BUCKET, TABLE, Aws, create_features_table
from moto import mock_aws
from moto.moto_api import state_manager


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    for name, value in {
        "GLUE_JOB_NAME": JOB, "PROCESSED_BUCKET": BUCKET, "RUNS_TABLE": TABLE, "EVENT_BUS_NAME": BUS,
        "GLUE_DATABASE": DATABASE, "FEATURES_TABLE": "features",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.create_bucket(Bucket=RAW_BUCKET)
        dynamodb = boto3.resource("dynamodb")
        dynamodb.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        glue = boto3.client("glue")
        glue.create_job(
            Name=JOB, Role="arn:aws:iam::123456789012:role/glue", GlueVersion="5.0",
            Command={"Name": "glueetl", "ScriptLocation": f"s3://{BUCKET}/glue/glue_main.py", "PythonVersion": "3"},
            ExecutionProperty={"MaxConcurrentRuns": 1},
        )  # fmt: skip
        create_features_table(glue)
        events = boto3.client("events")
        events.create_event_bus(Name=BUS)
        sqs = boto3.client("sqs")
        queue_url = sqs.create_queue(QueueName="capture-etl-events")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name="capture-etl", EventBusName=BUS, EventPattern=json.dumps({"source": ["airline.etl"]}))
        events.put_targets(Rule="capture-etl", EventBusName=BUS, Targets=[{"Id": "capture", "Arn": queue_arn}])
        yield Aws(s3, glue, dynamodb, sqs, events, queue_url)


@pytest.fixture
def glue_runs_stay_running() -> Iterator[None]:
    """Glue job runs stay RUNNING (moto otherwise reports SUCCEEDED at once)."""
    state_manager.set_transition(model_name="glue::job_run", transition={"progression": "manual", "times": 10**6})
    yield
    state_manager.unset_transition("glue::job_run")


@pytest.fixture
def glue_runs_end_after_two_describes() -> Iterator[None]:
    """Glue job runs go STARTING -> RUNNING -> SUCCEEDED, one step per GetJobRun."""
    state_manager.set_transition(model_name="glue::job_run", transition={"progression": "manual", "times": 1})
    yield
    state_manager.unset_transition("glue::job_run")


@pytest.fixture
def handlers(aws: Aws) -> SimpleNamespace:
    """The handler modules, (re)loaded under the test environment: Powertools reads it at import and
    each module caches its deps (boto3 clients) per cold start."""
    names = ("raw_files_accepted", "glue_state_change", "schedule")
    modules = {n: importlib.reload(importlib.import_module(f"etl_trigger.handlers.{n}")) for n in names}
    return SimpleNamespace(**modules)
