"""Deploy every service (stage dev) with osls into an embedded moto server, then find the resources there.

Order and services come from serverless-compose.yml (topological order of `dependsOn`); each service is
deployed with `serverless deploy --stage dev --package <the session's dev package>`, i.e. exactly what
`osls-compose deploy` runs in each directory, minus re-packaging (which the session already did once).
AIRLINE_DEPLOY_TEST_COMPOSE=1 runs `osls-compose deploy --stage dev` itself instead (re-packages, ~2 min).
moto's CloudFormation skips API keys, usage plans, bucket policies and the buckets' EventBridge
configuration with a warning; everything asserted here is created.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import yaml
from conftest import offline_environment

from airline import deploy

ACCOUNT = "123456789012"
REGION = "us-east-1"
STAGE = "dev"


def compose_order() -> list[str]:
    """Services of serverless-compose.yml, each after everything it depends on."""
    services = yaml.safe_load((deploy.REPO_ROOT / "serverless-compose.yml").read_text())["services"]
    ordered: list[str] = []
    while len(ordered) < len(services):
        ready = [n for n, s in services.items() if n not in ordered and set(s.get("dependsOn", [])) <= set(ordered)]
        assert ready, "serverless-compose.yml has a dependency cycle"
        ordered += ready
    return ordered


@dataclass(frozen=True)
class DeployedCloud:
    endpoint: str
    outputs: dict[str, str]

    def client(self, name: Any) -> Any:
        return boto3.client(
            name,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def deployed(packaged) -> Iterator[DeployedCloud]:
    """A moto server with all four dev stacks deployed by osls, in compose order."""
    from moto.cloudformation.models import CloudFormationBackend
    from moto.server import ThreadedMotoServer

    # moto's ValidateTemplate refuses a template on any cfn-lint match, warnings included (AWS refuses
    # only invalid templates). serverless-iam-roles-per-function always emits W3005 (DependsOn next to a
    # GetAtt of the same role), so let the (in-process) server refuse errors only; the cfn-lint test
    # asserts there are none.
    original_validate = CloudFormationBackend.validate_template

    def validate_errors_only(self, template):
        return [match for match in original_validate(self, template) if match.rule.id.startswith("E")]

    CloudFormationBackend.validate_template = validate_errors_only  # type: ignore[method-assign]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env = offline_environment() | {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "PYTHON_BIN": os.environ.get("PYTHON_BIN", "python3"),
    }
    env = deploy.osls_environment(env)
    try:
        if os.environ.get("AIRLINE_DEPLOY_TEST_COMPOSE") == "1":  # the real thing, re-packaging included (~2 min)
            runs = [(deploy.REPO_ROOT, ["osls-compose", "deploy", "--stage", STAGE])]
        else:
            runs = [
                (
                    deploy.REPO_ROOT / "services" / service,
                    ["serverless", "deploy", "--stage", STAGE, "--package", str(packaged.directory(STAGE, service))],
                )
                for service in compose_order()
            ]
        for cwd, command in runs:
            done = subprocess.run(
                command, cwd=cwd, env=env, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
            )
            assert done.returncode == 0, f"{command} failed in {cwd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        cloud = DeployedCloud(endpoint, {})
        outputs: dict[str, str] = {}
        for stack in cloud.client("cloudformation").describe_stacks()["Stacks"]:
            outputs |= {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        yield DeployedCloud(endpoint, outputs)
    finally:
        # moto's backends are global to the process: leave nothing behind for later tests
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=30)
        server.stop()
        CloudFormationBackend.validate_template = original_validate  # type: ignore[method-assign]


@pytest.mark.slow
def test_compose_order_puts_the_bus_owner_first():
    # Then ingest (event bus, raw bucket, alert topic) deploys before the others
    assert compose_order()[0] == "ingest"
    assert sorted(compose_order()) == sorted(deploy.SERVICES)


@pytest.mark.slow
def test_every_stack_is_created(deployed):
    # When listing the stacks in moto
    stacks = {s["StackName"]: s["StackStatus"] for s in deployed.client("cloudformation").describe_stacks()["Stacks"]}

    # Then each service has its stage's stack, complete
    assert {f"airline-{service}-{STAGE}" for service in deploy.SERVICES} <= set(stacks)
    assert {stacks[f"airline-{service}-{STAGE}"] for service in deploy.SERVICES} <= {
        "CREATE_COMPLETE",
        "UPDATE_COMPLETE",
    }


@pytest.mark.slow
def test_buckets_exist_with_deterministic_names(deployed):
    # When listing buckets
    buckets = {b["Name"] for b in deployed.client("s3").list_buckets()["Buckets"]}

    # Then raw, processed and models buckets are there under their stage-prefixed names
    assert f"airline-{STAGE}-raw-{ACCOUNT}-{REGION}" in buckets
    assert f"airline-{STAGE}-processed-{ACCOUNT}-{REGION}" in buckets
    assert f"airline-{STAGE}-models-{ACCOUNT}-{REGION}" in buckets


@pytest.mark.slow
def test_tables_exist(deployed):
    # When listing DynamoDB tables
    tables = set(deployed.client("dynamodb").list_tables()["TableNames"])

    # Then the manifest, idempotency, runs and registry tables exist
    assert {
        f"airline-{STAGE}-ingest-manifest",
        f"airline-{STAGE}-ingest-idempotency",
        f"airline-{STAGE}-etl-runs",
        f"airline-{STAGE}-model-registry",
    } <= tables


@pytest.mark.slow
def test_every_function_queue_has_its_dead_letter_queue(deployed):
    # When listing queues
    urls = deployed.client("sqs").list_queues()["QueueUrls"]
    names = {url.rsplit("/", 1)[-1] for url in urls}

    # Then each work queue has its -dlq sibling
    work = {n for n in names if n.startswith(f"airline-{STAGE}-") and not n.endswith("-dlq")}
    assert len(work) >= 6
    assert {f"{n}-dlq" for n in work} <= names


@pytest.mark.slow
def test_custom_bus_exists_and_service_rules_sit_on_the_right_bus(deployed):
    # Given the event bus owned by ingest
    events = deployed.client("events")
    buses = {b["Name"] for b in events.list_event_buses()["EventBuses"]}
    assert f"airline-{STAGE}" in buses

    # When listing rules on the custom bus and on the default bus
    custom = {r["Name"] for r in events.list_rules(EventBusName=f"airline-{STAGE}")["Rules"]}
    default = {r["Name"] for r in events.list_rules(EventBusName="default")["Rules"]}

    # Then pipeline events are routed on the custom bus, AWS service events on the default bus
    assert {
        f"airline-{STAGE}-etl-raw-file-accepted",
        f"airline-{STAGE}-trainer-features-ready",
        f"airline-{STAGE}-predictor-model-updated",
    } <= custom
    assert {
        f"airline-{STAGE}-ingest-object-created",
        f"airline-{STAGE}-etl-glue-state-change",
        f"airline-{STAGE}-trainer-training-state-change",
    } <= default


@pytest.mark.slow
def test_model_pointer_parameter_starts_empty(deployed):
    # When reading the predictor's pointer parameter
    value = deployed.client("ssm").get_parameter(Name=f"/airline/{STAGE}/predictor/current-model")["Parameter"]["Value"]

    # Then no model is served yet
    assert json.loads(value) == {"version": None, "bundle_uri": None}


@pytest.mark.slow
def test_deploy_uploads_the_glue_script_and_wheels_the_job_points_at(deployed, packaged):
    # Given the Glue job as packaged (moto's CloudFormation skips AWS::Glue::Job) and the deployed bucket
    resources = packaged.template(STAGE, "etl-trigger")["Resources"]
    job = next(r for r in resources.values() if r["Type"] == "AWS::Glue::Job")["Properties"]
    bucket = deployed.outputs["ProcessedBucketName"]
    s3 = deployed.client("s3")

    # When resolving the job's wheel URIs in the deployed bucket (what Glue's pip downloads)
    modules = job["DefaultArguments"]["--additional-python-modules"]["Fn::Sub"].replace("${ProcessedBucket}", bucket)
    uris = modules.split(",")

    # Then the script is there, and every wheel is at its URI with the bytes its content-hashed key names
    assert job["Command"]["ScriptLocation"]["Fn::Sub"].endswith("/glue/glue_main.py")
    s3.head_object(Bucket=bucket, Key="glue/glue_main.py")
    assert len(uris) > 2  # airline_shared, etl_job and the pinned third-party wheels
    for uri in uris:
        assert uri.startswith(f"s3://{bucket}/glue/wheels/"), uri
        key = uri.removeprefix(f"s3://{bucket}/")
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert key.split("/")[2] == hashlib.sha256(body).hexdigest()[:16], key


@pytest.mark.slow
def test_alert_topic_exists(deployed):
    # When listing SNS topics
    topics = {t["TopicArn"].rsplit(":", 1)[-1] for t in deployed.client("sns").list_topics()["Topics"]}

    # Then the stage's alert topic is there for users to subscribe to
    assert f"airline-{STAGE}-alerts" in topics


@pytest.mark.slow
def test_functions_are_created_with_their_runtime_and_architecture(deployed):
    # When listing Lambda functions
    functions = {f["FunctionName"]: f for f in deployed.client("lambda").list_functions()["Functions"]}

    # Then every function of the stage runs python3.12
    ours = {name: f for name, f in functions.items() if name.startswith(f"airline-{STAGE}-")}
    assert len(ours) >= 7
    assert {f["Runtime"] for f in ours.values()} == {"python3.12"}


@pytest.mark.slow
def test_deploy_uploads_the_training_source_archive_the_trainer_names(deployed):
    # Given the featuresReady function as deployed (its SOURCE_ARCHIVE_URI is what CreateTrainingJob uses)
    functions = deployed.client("lambda").list_functions()["Functions"]
    (starter,) = [f for f in functions if "SOURCE_ARCHIVE_URI" in f.get("Environment", {}).get("Variables", {})]
    uri = starter["Environment"]["Variables"]["SOURCE_ARCHIVE_URI"]
    bucket, key = uri.removeprefix("s3://").split("/", 1)

    # When reading that object (uploaded by the trainer's deploy hook, services/trainer/scripts/)
    body = deployed.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()

    # Then it is the archive of the current sources, under its content-hashed key in the models bucket
    assert bucket == deployed.outputs["ModelsBucketName"]
    assert key == f"code/sourcedir-{hashlib.sha256(body).hexdigest()[:16]}.tar.gz"
    assert deployed.outputs["SourceArchiveUri"] == uri


@pytest.mark.slow
def test_training_image_resolves_to_the_regions_sagemaker_account(deployed):
    # Given the featuresReady function as deployed in us-east-1
    functions = deployed.client("lambda").list_functions()["Functions"]
    (starter,) = [f for f in functions if "TRAINING_IMAGE_URI" in f.get("Environment", {}).get("Variables", {})]

    # Then CloudFormation's FindInMap gave the us-east-1 scikit-learn account
    image = starter["Environment"]["Variables"]["TRAINING_IMAGE_URI"]
    assert image.startswith(f"683313688378.dkr.ecr.{REGION}.amazonaws.com/sagemaker-scikit-learn:")


@pytest.mark.slow
def test_deploy_gives_glue_and_sagemaker_log_groups_a_retention(deployed):
    # When reading the log groups Glue and SageMaker write to (created by those services, not by a stack)
    groups = {
        g["logGroupName"]: g.get("retentionInDays") for g in deployed.client("logs").describe_log_groups()["logGroups"]
    }

    # Then the etl-trigger and trainer deploys gave each a retention
    expected = [
        "/aws-glue/jobs/output",
        "/aws-glue/jobs/error",
        "/aws-glue/jobs/logs-v2",
        "/aws/sagemaker/TrainingJobs",
    ]
    assert {name: groups.get(name) for name in expected} == dict.fromkeys(expected, 30)
