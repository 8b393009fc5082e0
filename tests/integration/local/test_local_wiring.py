"""The local cloud's event wiring comes from the services' serverless.yml, and agrees with it."""

import json
from collections.abc import Iterator
from typing import Any

import pytest

from airline.local.cloud import LocalCloud, deploy_services, moto_server
from airline.local.runtime import LocalRuntime
from airline.local.serverless_config import load_services


@pytest.fixture(scope="module")
def cloud() -> Iterator[LocalCloud]:
    with moto_server() as endpoint:
        yield deploy_services(endpoint)


@pytest.fixture(autouse=True)
def _aws_test_environment() -> None:
    """Keep the module's moto endpoint (overrides the root fixture that removes it)."""


def _declared_rules() -> list[dict[str, Any]]:
    rules = []
    for service in load_services("local"):
        for logical, resource in service.resources.items():
            if resource.get("Type") == "AWS::Events::Rule":
                rules.append({"service": service.name, "logical": logical, **resource["Properties"]})
    return rules


def test_every_sqs_subscription_is_fed_by_a_declared_rule(cloud: LocalCloud) -> None:
    # Given the rules declared in serverless.yml and the queues the functions consume
    declared = _declared_rules()
    events = cloud.client("events")
    deployed_targets = {
        target["Arn"]
        for bus in events.list_event_buses()["EventBuses"]
        for rule in events.list_rules(EventBusName=bus["Name"])["Rules"]
        for target in events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus["Name"])["Targets"]
    }
    sqs = cloud.client("sqs")

    # When each function's queue is looked up in moto
    for fn in cloud.all_functions():
        for queue_url, _spec in fn.queue_urls:
            arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            # Then a deployed rule targets it, and serverless.yml declares a rule for that function's service
            assert arn in deployed_targets, f"{fn.spec.service}.{fn.spec.name}: no rule delivers to {arn}"
            assert any(r["service"] == fn.spec.service for r in declared)


def test_deployed_rule_patterns_equal_the_declared_patterns(cloud: LocalCloud) -> None:
    # Given every rule with a literal pattern in serverless.yml
    events = cloud.client("events")
    deployed = {
        rule["Name"]: json.loads(rule["EventPattern"])
        for bus in events.list_event_buses()["EventBuses"]
        for rule in events.list_rules(EventBusName=bus["Name"])["Rules"]
        if "EventPattern" in rule
    }
    # When compared with what moto holds (rules found by their declared name)
    checked = 0
    for rule in _declared_rules():
        name, pattern = rule.get("Name"), rule.get("EventPattern")
        if not isinstance(name, str) or name not in deployed or not _is_literal(pattern):
            continue
        # Then the patterns are identical
        assert deployed[name] == pattern, f"{rule['service']}.{rule['logical']} pattern differs locally"
        checked += 1
    assert checked >= 3


def test_runtime_consumes_every_function_subscription(cloud: LocalCloud, tmp_path: Any) -> None:
    # Given the runtime built from the deployed services
    runtime = LocalRuntime(cloud, tmp_path)
    consumed = {(c.fn.spec.service, c.fn.spec.name) for c in runtime.consumers}

    # Then every function with an sqs or eventBridge event in serverless.yml has a consumer
    for service in load_services("local"):
        for fn in service.functions:
            if any(s.kind in ("sqs", "eventBridge") for s in fn.subscriptions):
                assert (service.name, fn.name) in consumed


def _is_literal(value: Any) -> bool:
    text = json.dumps(value)
    return '"Ref"' not in text and '"Fn::' not in text
