"""What a fresh account in any commercial region needs, read from the packaged templates (both stages).

Region mapping of the SageMaker image, the failure alarm's metric dimensions, who may put which event on the bus,
region-safe names and partitions, what `remove` does with the data, lifecycle and log retention, spot off by default.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from deploy_templates import (
    as_list,
    literal,
    put_events_statements,
    resolve_in_region,
    resources_of,
)

from airline import deploy

STAGE_SERVICE = [(stage, service) for stage in deploy.STAGES for service in deploy.SERVICES]
IDS = [f"{stage}-{service}" for stage, service in STAGE_SERVICE]

#: ECR accounts of the SageMaker scikit-learn images (SageMaker Python SDK, image_uri_config/sklearn.json).
SDK_SKLEARN_ACCOUNTS = {
    "us-east-1": "683313688378",
    "us-east-2": "257758044811",
    "us-west-2": "246618743249",
    "eu-west-1": "141502667606",
    "eu-central-1": "492215442770",
    "ap-southeast-2": "783357654285",
}
#: Each service's own events: the only ones its roles may put on the bus.
OWN_EVENTS = {
    "ingest": ("airline.ingest", {"RawFileAccepted", "RawFileRejected"}),
    "etl-trigger": ("airline.etl", {"FeaturesReady", "EtlFailed"}),
    "trainer": ("airline.trainer", {"ModelUpdated", "ModelRejected", "TrainingFailed"}),
    "predictor": ("airline.predictor", set()),
}
MODEL_EVENTS = {"ModelUpdated", "ModelRejected", "TrainingFailed"}


def _features_ready_env(template: dict) -> dict:
    functions = resources_of(template, "AWS::Lambda::Function").values()
    (env,) = [
        f["Properties"]["Environment"]["Variables"]
        for f in functions
        if "TRAINING_IMAGE_URI" in f["Properties"]["Environment"]["Variables"]
    ]
    return env


@pytest.mark.slow
@pytest.mark.parametrize("region", ["us-east-2", "eu-west-1"])
def test_training_image_account_comes_from_the_region_mapping(packaged, region):
    # Given the dev trainer template
    template = packaged.template("dev", "trainer")

    # When the image URI is resolved as CloudFormation would in that region
    image = resolve_in_region(_features_ready_env(template)["TRAINING_IMAGE_URI"], template, region)

    # Then it names the SageMaker SDK's scikit-learn account of that region, in that region
    assert image.startswith(f"{SDK_SKLEARN_ACCOUNTS[region]}.dkr.ecr.{region}.amazonaws.com/sagemaker-scikit-learn:")


@pytest.mark.slow
def test_region_mapping_agrees_with_the_sdk_and_the_pull_permission_uses_it(packaged):
    # Given the trainer template's mapping and its SageMaker role
    template = packaged.template("dev", "trainer")
    mapping = template["Mappings"]["SklearnImageAccounts"]
    role = resources_of(template, "AWS::IAM::Role")["SageMakerTrainingRole"]["Properties"]
    (pull,) = [
        s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"] if s.get("Sid") == "PullFrameworkImage"
    ]

    # Then every checked region has the SDK's account, no other partition leaks in
    assert {region: mapping[region]["account"] for region in SDK_SKLEARN_ACCOUNTS} == SDK_SKLEARN_ACCOUNTS
    assert not [region for region in mapping if region.startswith(("cn-", "us-gov-", "us-iso"))]
    # And the ECR pull is allowed on that same account's repository
    resolved = resolve_in_region(pull["Resource"], template, "us-west-2")
    assert resolved == "arn:aws:ecr:us-west-2:246618743249:repository/sagemaker-scikit-learn"


@pytest.mark.slow
@pytest.mark.parametrize("stage", deploy.STAGES)
def test_failure_alarm_watches_the_custom_bus_rule_metric(packaged, stage):
    # Given the ingest template (alert topic, failure rule and alarm)
    template = packaged.template(stage, "ingest")
    (rule,) = [
        r["Properties"]
        for r in resources_of(template, "AWS::Events::Rule").values()
        if "TrainingFailed" in r["Properties"]["EventPattern"].get("detail-type", [])
    ]
    (alarm,) = [
        a["Properties"]
        for a in resources_of(template, "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == "TriggeredRules"
    ]

    # Then the metric carries both dimensions a custom-bus rule reports with, naming that rule and its bus
    dimensions = {d["Name"]: literal(d["Value"]) for d in alarm["Dimensions"]}
    assert alarm["Namespace"] == "AWS/Events"
    assert dimensions == {"EventBusName": f"airline-{stage}", "RuleName": literal(rule["Name"])}
    assert literal(rule["EventBusName"]) == f"airline-{stage}"


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_every_role_may_put_only_its_own_events(packaged, stage, service):
    # Given the packaged template and the service's own events
    source, own = OWN_EVENTS[service]

    for where, statement in put_events_statements(packaged.template(stage, service)):
        # Then every PutEvents grant is conditioned on the service's source and a subset of its detail-types
        condition = statement.get("Condition", {}).get("StringEquals", {})
        assert condition.get("events:source") == source, where
        detail_types = set(as_list(condition.get("events:detail-type", [])))
        assert detail_types and detail_types <= own, where


@pytest.mark.slow
@pytest.mark.parametrize("stage", deploy.STAGES)
def test_only_the_trainer_may_put_model_events(packaged, stage):
    # When collecting every detail-type any role may put, per service
    allowed = {
        service: {
            detail_type
            for _, statement in put_events_statements(packaged.template(stage, service))
            for detail_type in as_list(statement["Condition"]["StringEquals"]["events:detail-type"])
        }
        for service in deploy.SERVICES
    }

    # Then the model events are the trainer's alone, and the trainer can put all of them
    assert {service for service, types in allowed.items() if types & MODEL_EVENTS} == {"trainer"}
    assert allowed["trainer"] == MODEL_EVENTS


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_no_hard_coded_partition(packaged, stage, service):
    # Given the packaged template as text
    text = json.dumps(packaged.template(stage, service))

    # Then no ARN is written for the aws partition only
    assert re.findall(r"arn:aws:[a-z0-9-]+:[^\"]{0,40}", text) == []


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "service"), STAGE_SERVICE, ids=IDS)
def test_global_names_carry_the_region(packaged, stage, service):
    # Given the packaged template
    template = packaged.template(stage, service)

    # When reading the explicit bucket and role names (globally unique in an account / everywhere)
    names = [
        (key, json.dumps(resource["Properties"].get(prop)))
        for resource_type, prop in (("AWS::S3::Bucket", "BucketName"), ("AWS::IAM::Role", "RoleName"))
        for key, resource in resources_of(template, resource_type).items()
        if resource["Properties"].get(prop) is not None
    ]

    # Then each one varies with the region
    assert [(key, name) for key, name in names if "AWS::Region" not in name] == []


@pytest.mark.slow
@pytest.mark.parametrize("service", deploy.SERVICES)
def test_dev_data_goes_with_remove_and_prod_data_is_retained(packaged, service):
    # Given the buckets and tables of each stage
    kinds = ("AWS::S3::Bucket", "AWS::DynamoDB::Table")
    policies = {
        stage: {
            key: resource.get("DeletionPolicy", "Delete")
            for kind in kinds
            for key, resource in resources_of(packaged.template(stage, service), kind).items()
            if key != "ServerlessDeploymentBucket"
        }
        for stage in deploy.STAGES
    }

    # Then nothing is retained in dev (a removed dev stage redeploys under the same names)
    assert set(policies["dev"].values()) <= {"Delete"}
    # And prod retains exactly the stores dev deletes on purpose (raw, models, manifest, registry)
    retained = {key for key, policy in policies["prod"].items() if policy == "Retain"}
    assert retained <= set(policies["dev"])
    expected = {"ingest": {"RawBucket", "ManifestTable"}, "trainer": {"ModelsBucket", "RegistryTable"}}
    assert retained == expected.get(service, set())


@pytest.mark.slow
def test_raw_files_the_etl_rereads_never_go_to_a_glacier_class(packaged):
    # Given the raw bucket's lifecycle
    bucket = resources_of(packaged.template("dev", "ingest"), "AWS::S3::Bucket")["RawBucket"]["Properties"]
    rules = bucket["LifecycleConfiguration"]["Rules"]

    # Then current objects transition only to classes without retrieval fees, and nothing expires
    classes = {t["StorageClass"] for rule in rules for t in rule.get("Transitions", [])}
    assert classes <= {"INTELLIGENT_TIERING"}
    assert not [rule for rule in rules if "ExpirationInDays" in rule]


@pytest.mark.slow
def test_every_processed_prefix_has_a_lifecycle_rule(packaged):
    # Given the processed bucket's lifecycle
    bucket = resources_of(packaged.template("dev", "etl-trigger"), "AWS::S3::Bucket")["ProcessedBucket"]["Properties"]
    expiring = {rule.get("Prefix") for rule in bucket["LifecycleConfiguration"]["Rules"] if "ExpirationInDays" in rule}

    # Then every prefix the pipeline writes temporary or historical data to expires
    assert {"runs/", "features/snapshots/", "features/_staging/", "athena-results/", "glue/tmp/"} <= expiring


@pytest.mark.slow
@pytest.mark.parametrize("stage", deploy.STAGES)
def test_api_access_logs_go_to_a_retained_log_group(packaged, stage):
    # Given the predictor template
    template = packaged.template(stage, "predictor")
    groups = {
        literal(g["Properties"]["LogGroupName"]): g for g in resources_of(template, "AWS::Logs::LogGroup").values()
    }

    # Then the API's access log group exists with a retention, and the account's CloudWatch role is set
    assert groups[f"/aws/api-gateway/airline-predictor-{stage}"]["Properties"]["RetentionInDays"] > 0
    assert resources_of(template, "AWS::ApiGateway::Account")


@pytest.mark.slow
def test_training_uses_on_demand_instances_by_default(packaged):
    # Given the dev trainer template / Then the function that starts training jobs does not ask for spot
    assert _features_ready_env(packaged.template("dev", "trainer"))["USE_SPOT"] == "false"


@pytest.mark.slow
def test_training_source_uri_is_content_hashed(packaged):
    # Given the dev trainer template and the archive its package holds
    template = packaged.template("dev", "trainer")
    built = sorted(p.name for p in (packaged.directory("dev", "trainer") / "training-source").iterdir())

    # Then the function and the stack output name the same hashed key, the one of the archive packaged with them
    uri = literal(_features_ready_env(template)["SOURCE_ARCHIVE_URI"])
    assert re.fullmatch(r"s3://\$\{ModelsBucket\}/code/sourcedir-[0-9a-f]{16}\.tar\.gz", uri)
    assert literal(template["Outputs"]["SourceArchiveUri"]["Value"]) == uri
    assert built == [uri.rsplit("/", 1)[-1]]


@pytest.mark.slow
def test_glue_wheels_are_listed_once(packaged):
    # Given the Glue job's default arguments
    job = next(iter(resources_of(packaged.template("dev", "etl-trigger"), "AWS::Glue::Job").values()))["Properties"]
    arguments = job["DefaultArguments"]

    # Then the wheels are installed by --additional-python-modules only
    assert ".whl" in json.dumps(arguments["--additional-python-modules"])
    assert ".whl" not in json.dumps(arguments.get("--extra-py-files", ""))


@pytest.mark.parametrize("service", deploy.SERVICES)
def test_every_service_recopies_the_shared_package_on_each_package(service):
    # Given the service's serverless.yml (CloudFormation tags are irrelevant here)
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((deploy.REPO_ROOT / "services" / service / "serverless.yml").read_text(), Loader=_Loader)

    # Then the requirements plugin never serves a cached package without the vendored shared/
    assert config["custom"]["pythonRequirements"]["useStaticCache"] is False
