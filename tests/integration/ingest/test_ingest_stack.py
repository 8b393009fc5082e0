"""serverless.yml of the ingest service agrees with the code: settings, filters, permissions, safety nets."""

from typing import Any

import pytest
from ingest.models.settings import IngestSettings
from ingest_cloud import load_serverless_yml


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    return load_serverless_yml()


def resources(stack: dict[str, Any]) -> dict[str, Any]:
    return stack["resources"]["Resources"]


def test_function_environment_sets_every_required_setting(stack):
    required = {name.upper() for name, f in IngestSettings.model_fields.items() if f.is_required()}
    assert required <= set(stack["functions"]["objectCreated"]["environment"])


def resolve(value: Any, stack: dict[str, Any], stage: str = "dev") -> str:
    """Resolve the few serverless variables the environment uses (params, custom, stage)."""
    text = str(value).replace("${sls:stage}", stage)
    for name, default in stack["params"]["default"].items():
        text = text.replace(f"${{param:{name}}}", str(default))
    for name, custom in stack["custom"].items():
        if isinstance(custom, str) and f"${{self:custom.{name}}}" in text:
            text = text.replace(f"${{self:custom.{name}}}", resolve(custom, stack, stage))
    return text


def test_function_environment_is_accepted_by_the_settings_model(stack):
    # Given the function environment as deployed to stage dev with default params
    env = {k: resolve(v, stack) for k, v in stack["functions"]["objectCreated"]["environment"].items()}
    # When the settings model reads it (Lambda passes every value as a string)
    settings = IngestSettings.model_validate({k.lower(): v for k, v in env.items()})
    # Then names and limits come through
    assert (settings.event_bus_name, settings.manifest_table) == ("airline-dev", "airline-dev-ingest-manifest")
    assert (settings.sample_rows, settings.max_uncompressed_bytes) == (1000, 50 * 1024**3)


def test_rule_and_function_share_the_quarantine_prefix_the_settings_default_to(stack):
    prefix = stack["custom"]["quarantinePrefix"]
    assert stack["functions"]["objectCreated"]["environment"]["QUARANTINE_PREFIX"] == "${self:custom.quarantinePrefix}"
    assert prefix == IngestSettings.model_fields["quarantine_prefix"].default


def test_iam_statements_name_actions_and_use_star_resource_only_for_xray(stack):
    statements = stack["functions"]["objectCreated"]["iamRoleStatements"]
    for statement in statements:
        assert all("*" not in action for action in statement["Action"]), statement
        if statement["Resource"] == "*":
            assert {a.split(":")[0] for a in statement["Action"]} == {"xray"}, statement


def test_sqs_source_reports_partial_batch_failures(stack):
    [event] = stack["functions"]["objectCreated"]["events"]
    assert event["sqs"]["functionResponseType"] == "ReportBatchItemFailures"


def test_queue_redrives_to_the_dlq_and_outlasts_six_function_timeouts(stack):
    queue = resources(stack)["IngestQueue"]["Properties"]
    timeout = int(stack["params"]["default"]["ingestTimeoutSeconds"])
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["IngestDeadLetterQueue", "Arn"]}
    assert queue["VisibilityTimeout"] >= 6 * timeout


def test_raw_bucket_is_private_encrypted_tls_only_and_sends_eventbridge_notifications(stack):
    bucket = resources(stack)["RawBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert bucket["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"] is True
    [deny] = resources(stack)["RawBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert (deny["Effect"], deny["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})


def test_nothing_in_the_raw_bucket_ever_expires(stack):
    rules = resources(stack)["RawBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert not any("ExpirationInDays" in r or "NoncurrentVersionExpiration" in r for r in rules)


def test_bus_name_and_arn_are_exported(stack):
    outputs = stack["resources"]["Outputs"]
    assert outputs["EventBusName"]["Export"]["Name"] == "airline-${sls:stage}-EventBusName"
    assert outputs["EventBusArn"]["Value"] == {"Fn::GetAtt": ["EventBus", "Arn"]}
