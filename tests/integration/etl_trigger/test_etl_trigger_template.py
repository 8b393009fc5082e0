"""serverless.yml agrees with the code: features table columns, rule patterns, DLQs, handlers, settings."""

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from airline_shared.features import FEATURE_COLUMNS, PARTITION_COLUMNS
from etl_trigger.models.settings import (
    GlueStateChangeSettings,
    RawFilesAcceptedSettings,
    ScheduleSettings,
    TriggerSettings,
)
from etl_trigger_aws import BUS, JOB, Aws
from helpers import load_event

SERVERLESS_YML = Path(__file__).parents[3] / "services" / "etl-trigger" / "serverless.yml"
ATHENA_TYPES = {"date32": "date", "int32": "int", "float64": "double", "string": "string", "bool": "boolean"}


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short tags (!Ref, !Sub, !GetAtt, ...) as their long form."""


def _cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {"Ref": value} if suffix == "Ref" else {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _cfn_tag)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return yaml.load(SERVERLESS_YML.read_text(), Loader=_CfnLoader)


def resources(template: dict[str, Any]) -> dict[str, Any]:
    return template["resources"]["Resources"]


def test_features_table_columns_match_the_shared_schema(template: dict[str, Any]) -> None:
    # Given the Glue table declared for Athena
    table = resources(template)["FeaturesTable"]["Properties"]["TableInput"]

    # When compared with the shared features schema, Then names, types and order agree
    expected = [
        {"Name": c.name, "Type": ATHENA_TYPES[c.arrow_type.value]}
        for c in FEATURE_COLUMNS
        if c.name not in PARTITION_COLUMNS
    ]
    assert table["StorageDescriptor"]["Columns"] == expected
    assert [k["Name"] for k in table["PartitionKeys"]] == list(PARTITION_COLUMNS)


def test_features_table_projects_year_and_two_digit_month(template: dict[str, Any]) -> None:
    # Given / When the table parameters are read
    params = resources(template)["FeaturesTable"]["Properties"]["TableInput"]["Parameters"]

    # Then partitions are projected (no crawler) with month written as MM
    assert params["projection.enabled"] == "true"
    assert (params["projection.year.type"], params["projection.month.type"]) == ("integer", "integer")
    assert params["projection.month.digits"] == "2"


def test_glue_job_is_glue_5_with_one_run_at_a_time(template: dict[str, Any]) -> None:
    # Given / When the Glue job is read
    job = resources(template)["GlueJob"]["Properties"]

    # Then it runs Glue 5.0, one run at a time, with metrics on
    assert job["GlueVersion"] == "5.0"
    assert job["ExecutionProperty"]["MaxConcurrentRuns"] == 1
    assert job["DefaultArguments"]["--enable-metrics"] == "true"


def test_daily_schedule_is_off_by_default(template: dict[str, Any]) -> None:
    # Given / When the default params are read, Then the schedule is disabled unless configured
    assert template["params"]["default"]["etlScheduleEnabled"] is False
    [event] = template["functions"]["schedule"]["events"]
    assert event["schedule"]["enabled"] == "${param:etlScheduleEnabled}"


def test_every_queue_fed_function_has_a_dead_letter_queue(template: dict[str, Any]) -> None:
    # Given the SQS event sources of the functions
    res = resources(template)
    for name, fn in template["functions"].items():
        for event in fn["events"]:
            if "sqs" not in event:
                continue
            # When the queue is looked up, Then it redrives to a DLQ
            queue = event["sqs"]["arn"]["Fn::GetAtt"][0]
            assert "deadLetterTargetArn" in res[queue]["Properties"]["RedrivePolicy"], name
    assert "onFailure" in template["functions"]["schedule"]["destinations"]


def test_handler_paths_resolve_to_callables(template: dict[str, Any]) -> None:
    # Given each function's handler path
    for fn in template["functions"].values():
        module, attr = fn["handler"].rsplit(".", 1)
        # When imported, Then the entry point exists
        assert callable(getattr(importlib.import_module(module.replace("/", ".")), attr))


@pytest.mark.parametrize(
    ("function", "settings"),
    [
        ("rawFilesAccepted", RawFilesAcceptedSettings),
        ("glueStateChange", GlueStateChangeSettings),
        ("schedule", ScheduleSettings),
    ],
)
def test_function_environment_provides_every_required_setting(
    template: dict[str, Any], function: str, settings: type[TriggerSettings]
) -> None:
    # Given the environment a function gets (provider + function level)
    env = {**template["provider"]["environment"], **template["functions"][function].get("environment", {})}

    # When compared with its settings model, Then every required setting is provided
    required = {name.upper() for name, field in settings.model_fields.items() if field.is_required()}
    assert required <= set(env)


def _rule_on_moto(aws: Aws, template: dict[str, Any], rule: str, bus: str) -> str:
    """Create the serverless.yml rule on moto with an SQS target; returns the queue URL."""
    props = resources(template)[rule]["Properties"]
    pattern = json.loads(json.dumps(props["EventPattern"]).replace('{"Ref": "GlueJob"}', json.dumps(JOB)))
    url = aws.sqs.create_queue(QueueName=f"probe-{rule}")["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws.events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps(pattern))
    aws.events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "probe", "Arn": arn}])
    return url


def _put(aws: Aws, envelope: dict[str, Any], bus: str) -> None:
    aws.events.put_events(Entries=[{
        "Source": envelope["source"], "DetailType": envelope["detail-type"],
        "Detail": json.dumps(envelope["detail"]), "EventBusName": bus,
    }])  # fmt: skip


def _delivered(aws: Aws, url: str) -> list[dict[str, Any]]:
    return [
        json.loads(m["Body"]) for m in aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    ]


def test_raw_file_accepted_rule_delivers_the_ingest_event(aws: Aws, template: dict[str, Any]) -> None:
    # Given the deployed rule on the custom bus
    url = _rule_on_moto(aws, template, "RawFileAcceptedRule", BUS)

    # When ingest publishes RawFileAccepted and an unrelated event
    _put(aws, load_event("raw_file_accepted"), BUS)
    _put(aws, {"source": "airline.ingest", "detail-type": "RawFileRejected", "detail": {"key": "x"}}, BUS)

    # Then only RawFileAccepted reaches the queue
    assert [e["detail-type"] for e in _delivered(aws, url)] == ["RawFileAccepted"]


def test_glue_rule_delivers_only_terminal_states_of_our_job(aws: Aws, template: dict[str, Any]) -> None:
    # Given the deployed rule on the default bus
    url = _rule_on_moto(aws, template, "GlueJobStateChangeRule", "default")
    other = load_event("glue_job_state_change_failed")
    other["detail"]["jobName"] = "someone-elses-job"

    # When Glue reports RUNNING, SUCCEEDED, FAILED for our job and FAILED for another
    for envelope in (load_event("glue_job_state_change_running"), load_event("glue_job_state_change_succeeded"),
                     load_event("glue_job_state_change_failed"), other):  # fmt: skip
        _put(aws, envelope, "default")

    # Then only our terminal states reach the queue
    assert sorted(e["detail"]["state"] for e in _delivered(aws, url)) == ["FAILED", "SUCCEEDED"]
