"""The rules declared in services/trainer/serverless.yml route the real event fixtures as intended (moto EventBridge)."""

import json
from pathlib import Path
from typing import Any, cast

import boto3
import pytest
import yaml
from airline_shared.events import FeaturesReady, event_pattern
from helpers import load_event
from moto import mock_aws
from pydantic_settings import BaseSettings
from trainer.models.settings import EvaluationSettings, TrainingLaunchSettings

SERVERLESS_YML = Path(__file__).resolve().parents[3] / "services" / "trainer" / "serverless.yml"
STAGE = "dev"


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Sub, !GetAtt, ...) as their plain value."""


_CfnLoader.add_multi_constructor(
    "!",
    lambda loader, _tag, node: (
        loader.construct_scalar(node)
        if isinstance(node, yaml.ScalarNode)
        else loader.construct_sequence(node)
        if isinstance(node, yaml.SequenceNode)
        else loader.construct_mapping(node)
    ),
)


def _config() -> dict[str, Any]:
    text = SERVERLESS_YML.read_text().replace("${sls:stage}", STAGE)
    return yaml.load(text, Loader=_CfnLoader)


def _rule_pattern(name: str) -> dict[str, Any]:
    return dict(_config()["resources"]["Resources"][name]["Properties"]["EventPattern"])


def _route(pattern: dict[str, Any], bus: str, envelopes: list[dict[str, Any]]) -> list[str]:
    """Put `envelopes` on `bus` behind a rule with `pattern`; return the ids that reached the queue."""
    events, sqs = boto3.client("events"), boto3.client("sqs")
    if bus != "default":
        events.create_event_bus(Name=bus)
    url = sqs.create_queue(QueueName="routed")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="under-test", EventBusName=bus, EventPattern=json.dumps(pattern))
    events.put_targets(Rule="under-test", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    entries = [
        {"Source": e["source"], "DetailType": e["detail-type"], "Detail": json.dumps(e["detail"]), "EventBusName": bus}
        for e in envelopes
    ]
    assert events.put_events(Entries=cast(Any, entries))["FailedEntryCount"] == 0
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    return [
        json.loads(m["Body"])["detail"].get("TrainingJobName") or json.loads(m["Body"])["detail"]["run_id"]
        for m in messages
    ]


@mock_aws
def test_training_state_rule_takes_terminal_states_of_this_stage_only() -> None:
    # Given the completed and failed fixtures of a dev job, plus an InProgress one and another stage's job
    completed = load_event("sagemaker_training_state_change_completed")
    failed = load_event("sagemaker_training_state_change_failed")
    failed["detail"]["TrainingJobName"] = "airline-dev-failed-job"
    in_progress = load_event("sagemaker_training_state_change_completed")
    in_progress["detail"] |= {"TrainingJobStatus": "InProgress", "TrainingJobName": "airline-dev-running"}
    foreign = load_event("sagemaker_training_state_change_completed")
    foreign["detail"]["TrainingJobName"] = "airline-prod-20261126-005812-26566c9d"
    # When they pass the deployed rule on the default bus
    routed = _route(_rule_pattern("TrainingStateChangeRule"), "default", [completed, failed, in_progress, foreign])
    # Then only this stage's terminal states reach the trainer queue
    assert sorted(routed) == sorted([completed["detail"]["TrainingJobName"], "airline-dev-failed-job"])


@mock_aws
def test_features_ready_rule_matches_the_shared_contract() -> None:
    pattern = _rule_pattern("FeaturesReadyRule")
    assert pattern == event_pattern(FeaturesReady)
    routed = _route(pattern, f"airline-{STAGE}", [load_event("features_ready")])
    assert routed == [load_event("features_ready")["detail"]["run_id"]]


@pytest.mark.parametrize(
    ("function", "settings_model"),
    [("featuresReady", TrainingLaunchSettings), ("trainingStateChange", EvaluationSettings)],
)
def test_each_function_gets_every_required_setting(function: str, settings_model: type[BaseSettings]) -> None:
    # Given the provider and function environments declared for deployment
    config = _config()
    env = {**config["provider"]["environment"], **config["functions"][function].get("environment", {})}
    # Then every required settings field has a variable (a missing one would fail the cold start)
    required = {name.upper() for name, field in settings_model.model_fields.items() if field.is_required()}
    assert required <= set(env), f"{function} lacks {sorted(required - set(env))}"
    # And the job name prefix the handler filters on is the one the rule matches
    assert env["JOB_NAME_PREFIX"] == f"airline-{STAGE}"
