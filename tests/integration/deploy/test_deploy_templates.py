"""Policy checks over the packaged CloudFormation templates of every service, for both stages.

The templates are what `serverless package` generated (tests/integration/deploy/conftest.py), so the checks
cover osls's own resources (deployment bucket, log groups, per-function roles) as well as ours.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from deploy_templates import as_list, literal, policy_statements, referenced_id, resources_of, stage_token

from airline import deploy

STAGE_SERVICE = [(stage, service) for stage in deploy.STAGES for service in deploy.SERVICES]
IDS = [f"{stage}-{service}" for stage, service in STAGE_SERVICE]

#: Actions AWS offers no resource-level permission for: the only statements allowed `Resource: "*"`.
STAR_RESOURCE_ALLOWLIST: dict[frozenset[str], str] = {
    frozenset({"xray:PutTraceSegments", "xray:PutTelemetryRecords"}): "X-Ray has no resource-level permissions",
    frozenset({"cloudwatch:PutMetricData"}): "PutMetricData has no resource-level permissions (namespace condition)",
    frozenset({"ecr:GetAuthorizationToken"}): "GetAuthorizationToken has no resource-level permissions",
}
#: Name properties that must carry the stage so that dev and prod coexist in one account.
NAME_PROPERTIES = {
    "AWS::Lambda::Function": "FunctionName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::Events::Rule": "Name",
    "AWS::Events::EventBus": "Name",
    "AWS::IAM::Role": "RoleName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::Glue::Job": "Name",
    "AWS::SSM::Parameter": "Name",
    "AWS::Athena::WorkGroup": "Name",
    "AWS::Athena::NamedQuery": "Name",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::ApiGateway::RestApi": "Name",
    "AWS::ApiGateway::ApiKey": "Name",
    "AWS::ApiGateway::UsagePlan": "UsagePlanName",
}


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_template_has_no_wildcard_actions(packaged, stage, service):
    # Given the packaged template
    template = packaged.template(stage, service)

    # When collecting Allow statements whose actions contain a wildcard
    wildcard = [
        (where, action)
        for where, statement in policy_statements(template)
        if statement.get("Effect") == "Allow"
        for action in as_list(statement.get("Action", []))
        if "*" in action
    ]

    # Then there are none
    assert wildcard == []


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_star_resources_only_for_actions_without_resource_level_permissions(packaged, stage, service):
    # Given the packaged template
    template = packaged.template(stage, service)

    # When collecting Allow statements on Resource "*" whose actions are not all allowlisted
    allowed = set().union(*STAR_RESOURCE_ALLOWLIST)
    offending = [
        (where, statement.get("Action"))
        for where, statement in policy_statements(template)
        if statement.get("Effect") == "Allow"
        and "*" in as_list(statement.get("Resource", []))
        and not set(as_list(statement.get("Action", []))) <= allowed
    ]

    # Then there are none
    assert offending == []


@pytest.mark.parametrize("service", deploy.SERVICES)
def test_every_star_resource_in_serverless_yml_is_justified_by_a_comment(service):
    # Given the service's serverless.yml
    lines = (deploy.REPO_ROOT / "services" / service / "serverless.yml").read_text().splitlines()

    # When finding `Resource: '*'` lines with no comment on them or on the 3 lines above
    star = re.compile(r"""Resource:\s*['"]\*['"]""")
    unjustified = [
        index + 1
        for index, line in enumerate(lines)
        if star.search(line) and not any("#" in previous for previous in lines[max(0, index - 3) : index + 1])
    ]

    # Then every one has its reason written next to it
    assert unjustified == []


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_every_bucket_is_encrypted_private_and_tls_only(packaged, stage, service):
    # Given the packaged template
    template = packaged.template(stage, service)
    policies = {
        referenced_id(res["Properties"]["Bucket"]): res["Properties"]["PolicyDocument"]
        for res in resources_of(template, "AWS::S3::BucketPolicy").values()
    }

    for key, bucket in resources_of(template, "AWS::S3::Bucket").items():
        props = bucket.get("Properties", {})
        # Then it is encrypted by default
        assert props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration"), key
        # And every public access switch is on
        block = props.get("PublicAccessBlockConfiguration", {})
        assert {
            name: block.get(name)
            for name in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
        } == dict.fromkeys(
            ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
        ), key
        # And its bucket policy denies plain HTTP
        statements = as_list(policies.get(key, {}).get("Statement", []))
        assert any(
            s.get("Effect") == "Deny"
            and str(s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")).lower() == "false"
            for s in statements
        ), key


@pytest.mark.slow
@pytest.mark.parametrize("stage", deploy.STAGES)
def test_every_api_method_requires_an_api_key_under_a_throttled_usage_plan(packaged, stage):
    # Given the predictor template
    template = packaged.template(stage, "predictor")

    # When reading its API methods and usage plans
    methods = resources_of(template, "AWS::ApiGateway::Method")
    plans = resources_of(template, "AWS::ApiGateway::UsagePlan")

    # Then every method needs a key
    assert methods
    assert {key: m["Properties"].get("ApiKeyRequired") for key, m in methods.items()} == dict.fromkeys(methods, True)
    # And a usage plan throttles and caps the keys
    assert plans
    for plan in plans.values():
        props = plan["Properties"]
        assert props["Throttle"]["RateLimit"] > 0 and props["Throttle"]["BurstLimit"] > 0
        assert props["Quota"]["Limit"] > 0 and props["Quota"]["Period"]
    assert resources_of(template, "AWS::ApiGateway::UsagePlanKey")


def _function_triggers(template: dict) -> dict[str, set[str]]:
    triggers: dict[str, set[str]] = {key: set() for key in resources_of(template, "AWS::Lambda::Function")}
    for mapping in resources_of(template, "AWS::Lambda::EventSourceMapping").values():
        triggers[referenced_id(mapping["Properties"]["FunctionName"]) or ""].add("sqs")
    for permission in resources_of(template, "AWS::Lambda::Permission").values():
        principal = permission["Properties"]["Principal"]
        kind = "api" if "apigateway" in literal(principal) else "async"
        triggers[referenced_id(permission["Properties"]["FunctionName"]) or ""].add(kind)
    return triggers


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_every_queue_feeding_a_function_has_a_dead_letter_queue(packaged, stage, service):
    # Given the packaged template
    template = packaged.template(stage, service)
    queues = resources_of(template, "AWS::SQS::Queue")

    # When following every SQS event source to its queue
    fed = [
        referenced_id(m["Properties"]["EventSourceArn"])
        for m in resources_of(template, "AWS::Lambda::EventSourceMapping").values()
    ]

    # Then that queue redrives to a DLQ of the same template after a bounded number of receives
    for queue_id in fed:
        redrive = queues[queue_id]["Properties"].get("RedrivePolicy", {})
        assert referenced_id(redrive.get("deadLetterTargetArn")) in queues, queue_id
        assert 1 <= int(redrive.get("maxReceiveCount", 0)) <= 10, queue_id


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_every_asynchronously_invoked_function_has_an_on_failure_destination(packaged, stage, service):
    # Given the packaged template
    template = packaged.template(stage, service)
    configs = {
        referenced_id(c["Properties"]["FunctionName"]) or literal(c["Properties"]["FunctionName"]): c["Properties"]
        for c in resources_of(template, "AWS::Lambda::EventInvokeConfig").values()
    }
    names = {
        key: literal(f["Properties"]["FunctionName"])
        for key, f in resources_of(template, "AWS::Lambda::Function").items()
    }

    # When selecting functions invoked asynchronously (schedules, direct rules)
    asynchronous = [key for key, kinds in _function_triggers(template).items() if "async" in kinds]

    # Then each has an invoke config (by logical id or by name) with an on-failure destination
    for key in asynchronous:
        config = configs.get(key) or configs.get(names[key]) or {}
        assert config.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination"), key


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_every_rule_target_retries_and_dead_letters(packaged, stage, service):
    # Given the packaged template
    template = packaged.template(stage, service)

    for key, rule in resources_of(template, "AWS::Events::Rule").items():
        for target in rule["Properties"].get("Targets", []):
            if ":sns:" in literal(target["Arn"]) or referenced_id(target["Arn"]) in resources_of(
                template, "AWS::Lambda::Function"
            ):
                continue  # SNS alert delivery / Lambda targets are covered by their own checks
            # Then SQS deliveries retry and keep what they cannot deliver
            assert target.get("RetryPolicy"), (key, target.get("Id"))
            assert target.get("DeadLetterConfig", {}).get("Arn"), (key, target.get("Id"))


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_every_log_group_has_a_retention(packaged, stage, service):
    # Given the packaged template
    template = packaged.template(stage, service)

    # Then every log group expires its events, and every function has one
    groups = resources_of(template, "AWS::Logs::LogGroup")
    assert {key: bool(g["Properties"].get("RetentionInDays")) for key, g in groups.items()} == dict.fromkeys(
        groups, True
    )
    assert len(groups) >= len(resources_of(template, "AWS::Lambda::Function"))


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_every_named_resource_carries_the_stage(packaged, stage, service):
    # Given the packaged template
    template = packaged.template(stage, service)
    token = stage_token(stage)

    # When reading every explicit name
    unstaged = []
    for resource_type, prop in NAME_PROPERTIES.items():
        for key, res in resources_of(template, resource_type).items():
            name = res.get("Properties", {}).get(prop)
            if name is not None and not token.search(literal(name)):
                unstaged.append((key, literal(name)))

    # Then the stage is a segment of each
    assert unstaged == []


@pytest.mark.slow
@pytest.mark.parametrize("stage", deploy.STAGES)
def test_every_dead_letter_queue_has_a_depth_alarm_to_the_alert_topic(packaged, stage):
    # Given every template of the stage
    templates = {service: packaged.template(stage, service) for service in deploy.SERVICES}

    for service, template in templates.items():
        alarmed = {
            referenced_id(dimension["Value"])
            for alarm in resources_of(template, "AWS::CloudWatch::Alarm").values()
            if alarm["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
            and any(
                f"airline-{stage}-alerts" in literal(action) or referenced_id(action)
                for action in alarm["Properties"].get("AlarmActions", [])
            )
            for dimension in alarm["Properties"].get("Dimensions", [])
        }
        dlqs = {
            key
            for key, queue in resources_of(template, "AWS::SQS::Queue").items()
            if literal(queue["Properties"].get("QueueName", "")).endswith("-dlq")
        }
        # Then each DLQ is watched
        assert dlqs <= alarmed, (service, sorted(dlqs - alarmed))


@pytest.mark.slow
@pytest.mark.parametrize("stage", deploy.STAGES)
def test_one_service_owns_the_alert_topic_and_failure_events_raise_an_alarm_on_it(packaged, stage):
    # Given every template of the stage
    templates = [packaged.template(stage, service) for service in deploy.SERVICES]

    # When looking for the alert topic
    topics = [
        (template, key)
        for template in templates
        for key, topic in resources_of(template, "AWS::SNS::Topic").items()
        if literal(topic["Properties"].get("TopicName")) == f"airline-{stage}-alerts"
    ]

    # Then exactly one template declares it
    assert len(topics) == 1
    template, topic_id = topics[0]
    # And a rule of that template matches EtlFailed, TrainingFailed and ModelRejected
    rules = {
        literal(rule["Properties"]["Name"]): rule["Properties"]
        for rule in resources_of(template, "AWS::Events::Rule").values()
        if {"EtlFailed", "TrainingFailed", "ModelRejected"}
        <= set(rule["Properties"]["EventPattern"].get("detail-type", []))
    }
    assert len(rules) == 1
    # And an alarm on that rule's TriggeredRules metric notifies the topic
    alarms = [
        alarm["Properties"]
        for alarm in resources_of(template, "AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("MetricName") == "TriggeredRules"
        and {literal(d["Value"]) for d in alarm["Properties"]["Dimensions"] if d["Name"] == "RuleName"} == set(rules)
    ]
    assert [referenced_id(action) for alarm in alarms for action in alarm["AlarmActions"]] == [topic_id]


@pytest.mark.slow
def test_glue_job_emits_metrics_and_takes_its_execution_class_from_a_parameter(packaged):
    # Given the dev etl-trigger template and its serverless.yml
    job = next(iter(resources_of(packaged.template("dev", "etl-trigger"), "AWS::Glue::Job").values()))["Properties"]
    text = (deploy.REPO_ROOT / "services/etl-trigger/serverless.yml").read_text()

    # Then metrics are on and the execution class is configurable (STANDARD by default, FLEX by param)
    assert job["DefaultArguments"]["--enable-metrics"] == "true"
    assert job["ExecutionClass"] in {"STANDARD", "FLEX"}
    assert "ExecutionClass: ${param:glueExecutionClass}" in text
    assert job["ExecutionProperty"]["MaxConcurrentRuns"] >= 1


@pytest.mark.parametrize("service", deploy.SERVICES)
def test_every_function_states_its_memory_size(service):
    # Given the service's serverless.yml (tags such as !Sub are irrelevant here)
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((deploy.REPO_ROOT / "services" / service / "serverless.yml").read_text(), Loader=_Loader)

    # Then each function has a memory size, its own or the provider's
    provider_memory = config["provider"].get("memorySize")
    assert all(f.get("memorySize", provider_memory) for f in config["functions"].values())


def _lint_output_path(packaged) -> Path:
    return packaged.root / "cfn-lint.txt"


@pytest.mark.slow
def test_templates_pass_cfn_lint_without_errors(packaged):
    # Given every packaged template
    from cfnlint.api import lint

    paths = [packaged.directory(stage, service) / deploy.TEMPLATE_FILE for stage, service in STAGE_SERVICE]

    # When linting them all
    matches = []
    for path in paths:
        found = lint(path.read_text(), regions=["us-east-1"])
        matches += [(path, match) for match in found]
    report = [f"{path.parent.parent.name}/{path.parent.name}: {match}" for path, match in matches]
    _lint_output_path(packaged).write_text("\n".join(report) + "\n")

    # Then there is no error (warnings are listed in build/deploy-test/cfn-lint.txt)
    errors = [line for (path, match), line in zip(matches, report, strict=True) if match.rule.id.startswith("E")]
    assert errors == []


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_every_function_configures_powertools_and_tracing_by_environment(packaged, stage, service):
    # Given the packaged template
    functions = resources_of(packaged.template(stage, service), "AWS::Lambda::Function")

    for key, function in functions.items():
        props = function["Properties"]
        variables = props.get("Environment", {}).get("Variables", {})
        # Then logger, metrics and tracer take their settings from the environment
        assert {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_LOG_LEVEL"} <= set(variables), (
            key
        )
        # And X-Ray tracing is active
        assert props.get("TracingConfig", {}).get("Mode") == "Active", key
