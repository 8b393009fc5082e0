"""The embedded AWS: a moto server on loopback with the services' resources deployed into it.

Services reach it only through the standard `AWS_ENDPOINT_URL`; nothing in `services/` knows it
is local. Resources come from each serverless.yml's `resources:` section, deployed as one
CloudFormation stack per service (moto resolves Ref/GetAtt/Sub); function environments and
SQS subscriptions are resolved through synthetic stack outputs so that CloudFormation, not us,
decides what a `!Ref` or `!GetAtt` means.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3

from airline.local.serverless_config import FunctionSpec, ServiceSpec, load_services

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}

_UNSUPPORTED_BY_MOTO_CFN = {
    # Deployed for real on AWS; locally created by the runtime or irrelevant to the chain.
    "AWS::Glue::Job",
    "AWS::Glue::Database",
    "AWS::Glue::Table",
    "AWS::Athena::WorkGroup",
    "AWS::Athena::NamedQuery",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::CloudWatch::Alarm",
    "AWS::SNS::Subscription",
    "AWS::SNS::TopicPolicy",
    "AWS::ApiGateway::Account",
    "AWS::ApiGateway::ApiKey",
    "AWS::ApiGateway::UsagePlan",
    "AWS::ApiGateway::UsagePlanKey",
    "AWS::Lambda::Permission",
}


class LocalCloudError(RuntimeError):
    """The local cloud could not start or deploy; the message says which service and why."""


@dataclass
class DeployedFunction:
    spec: FunctionSpec
    environment: dict[str, str]
    queue_urls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (queue url, sqs event spec)
    eventbridge: list[dict[str, Any]] = field(default_factory=list)  # eventBridge event specs
    http: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DeployedService:
    spec: ServiceSpec
    outputs: dict[str, str]
    functions: list[DeployedFunction]


@dataclass
class LocalCloud:
    endpoint_url: str
    stage: str
    services: dict[str, DeployedService]
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def client(self, name: str) -> Any:
        """A boto3 client for the local endpoint, created once per service (the runtime polls every step)."""
        if name not in self._clients:
            self._clients[name] = boto3.client(name, endpoint_url=self.endpoint_url, region_name=REGION)  # type: ignore[call-overload]
        return self._clients[name]

    def all_functions(self) -> list[DeployedFunction]:
        return [fn for svc in self.services.values() for fn in svc.functions]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    """Start a ThreadedMotoServer on 127.0.0.1 and point every boto3 client of this process at it."""
    from moto.server import ThreadedMotoServer

    from airline.local.large_objects import allow_large_objects

    allow_large_objects()  # the seed's 12.5 GB file must not be held in memory by moto
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    _reset_moto(endpoint)  # moto's backends are per process: start from an empty cloud every time
    saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL", *LOCAL_CREDENTIALS)}
    os.environ.update(LOCAL_CREDENTIALS, AWS_ENDPOINT_URL=endpoint)
    try:
        yield endpoint
    finally:
        _reset_moto(endpoint)
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


#: Deploy parameters that differ on one machine: a warm predictor re-reads its model pointer every 2 s.
LOCAL_PARAMS = {"pointerMaxAgeSeconds": "2"}


def _reset_moto(endpoint: str) -> None:
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=30).close()


def deploy_services(endpoint_url: str, stage: str = "local", params: dict[str, str] | None = None) -> LocalCloud:
    """Deploy every service's resources into the moto server, in dependency order."""
    cloud = LocalCloud(endpoint_url=endpoint_url, stage=stage, services={})
    for spec in load_services(stage, LOCAL_PARAMS if params is None else params):
        cloud.services[spec.name] = _deploy_service(cloud, spec)
    return cloud


def _deploy_service(cloud: LocalCloud, spec: ServiceSpec) -> DeployedService:
    skipped = {k: v for k, v in spec.resources.items() if v.get("Type") in _UNSUPPORTED_BY_MOTO_CFN}
    # moto's Ref of an EventBus returns an object repr instead of the name: inline the name ourselves.
    by_name = skipped | {k: v for k, v in spec.resources.items() if v.get("Type") == "AWS::Events::EventBus"}
    resources = {k: _inline_skipped_refs(v, by_name) for k, v in spec.resources.items() if k not in skipped}
    outputs: dict[str, Any] = {
        k: _inline_skipped_refs(v, by_name)
        for k, v in spec.outputs.items()
        if not _mentions_skipped(v, spec.resources, resources)
    }
    synthetic: dict[str, Any] = {}
    for f_index, fn in enumerate(spec.functions):
        for key, value in fn.environment.items():
            if isinstance(value, dict | list):
                synthetic[f"LocalEnv{f_index}x{_safe(key)}"] = _inline_skipped_refs(value, by_name)
        for s_index, sub in enumerate(fn.subscriptions):
            if sub.kind == "sqs":
                synthetic[f"LocalSqs{f_index}x{s_index}"] = _inline_skipped_refs(
                    sub.spec.get("arn") or sub.spec.get("value"), by_name
                )
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Conditions": spec.config.get("resources", {}).get("Conditions", {}),
        "Mappings": spec.config.get("resources", {}).get("Mappings", {}),
        "Resources": resources or {"LocalPlaceholder": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {**outputs, **{k: {"Value": v} for k, v in synthetic.items()}},
    }
    cfn = cloud.client("cloudformation")
    stack_name = f"{spec.config.get('service', spec.name)}-{cloud.stage}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            cfn.create_stack(
                StackName=stack_name, TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_NAMED_IAM"]
            )
        except Exception as exc:
            raise LocalCloudError(f"deploying {spec.name} into the local cloud failed: {exc}") from exc
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    resolved = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    physical = _physical_ids(cloud, stack_name)
    _enable_bucket_eventbridge(cloud, spec, physical)
    _create_glue_resources(cloud, skipped, physical)
    functions = []
    for f_index, fn in enumerate(spec.functions):
        env = {
            k: (resolved[f"LocalEnv{f_index}x{_safe(k)}"] if isinstance(v, dict | list) else _env_text(v))
            for k, v in fn.environment.items()
        }
        deployed = DeployedFunction(spec=fn, environment={k: str(v) for k, v in env.items()})
        for s_index, sub in enumerate(fn.subscriptions):
            if sub.kind == "sqs":
                deployed.queue_urls.append((_queue_url(cloud, resolved[f"LocalSqs{f_index}x{s_index}"]), sub.spec))
            elif sub.kind == "eventBridge":
                deployed.eventbridge.append(sub.spec)
            elif sub.kind == "http":
                deployed.http.append(sub.spec)
        functions.append(deployed)
    public_outputs = {k: v for k, v in resolved.items() if not k.startswith("Local")}
    return DeployedService(spec=spec, outputs=public_outputs, functions=functions)


def _create_glue_resources(cloud: LocalCloud, skipped: dict[str, Any], physical: dict[str, Any]) -> None:
    """moto's CloudFormation has no Glue resources: create the declared database, tables and jobs."""
    names = {**physical}
    for logical, resource in skipped.items():
        if resource["Type"] == "AWS::Glue::Database":
            names[logical] = resource["Properties"]["DatabaseInput"]["Name"]
    glue = cloud.client("glue")
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource in skipped.values():
        by_type.setdefault(resource["Type"], []).append(_resolve_intrinsics(resource.get("Properties", {}), names))
    for props in by_type.get("AWS::Glue::Database", []):
        glue.create_database(DatabaseInput=props["DatabaseInput"])
    for props in by_type.get("AWS::Glue::Table", []):
        glue.create_table(DatabaseName=props["DatabaseName"], TableInput=props["TableInput"])
    for props in by_type.get("AWS::Glue::Job", []):
        glue.create_job(
            Name=props["Name"],
            Role="arn:aws:iam::123456789012:role/local-glue",
            Command={"Name": "glueetl", "ScriptLocation": "s3://local/glue_main.py", "PythonVersion": "3"},
            GlueVersion="5.0",
        )


def _physical_ids(cloud: LocalCloud, stack_name: str) -> dict[str, Any]:
    resources = cloud.client("cloudformation").describe_stack_resources(StackName=stack_name)["StackResources"]
    return {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in resources}


def _resolve_intrinsics(value: Any, physical: dict[str, Any]) -> Any:
    """Resolve Ref / Fn::Sub / Fn::Join / Fn::GetAtt(Arn) against a deployed stack (enough for catalog resources)."""
    pseudo = {
        "AWS::AccountId": ACCOUNT_ID,
        "AWS::Region": REGION,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
    }
    names = {**pseudo, **physical}
    if isinstance(value, list):
        return [_resolve_intrinsics(v, physical) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"}:
        return names.get(value["Ref"], value["Ref"])
    if set(value) == {"Fn::Join"}:
        separator, parts = value["Fn::Join"]
        return separator.join(str(_resolve_intrinsics(p, physical)) for p in parts)
    if set(value) == {"Fn::GetAtt"}:
        logical, attribute = value["Fn::GetAtt"]
        return f"arn:aws:s3:::{names.get(logical, logical)}" if attribute == "Arn" else names.get(logical, logical)
    if set(value) == {"Fn::Sub"}:
        text, variables = (value["Fn::Sub"], {}) if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"]
        lookup = {**names, **{k: _resolve_intrinsics(v, physical) for k, v in variables.items()}}
        return re.sub(r"\$\{([^}!]+)\}", lambda m: str(lookup.get(m.group(1), m.group(0))), text)
    return {k: _resolve_intrinsics(v, physical) for k, v in value.items()}


def _enable_bucket_eventbridge(cloud: LocalCloud, spec: ServiceSpec, physical: dict[str, Any]) -> None:
    """moto's CloudFormation skips a bucket's EventBridgeConfiguration: apply it directly."""
    s3 = cloud.client("s3")
    for logical, resource in spec.resources.items():
        if resource.get("Type") != "AWS::S3::Bucket":
            continue
        notification = (resource.get("Properties") or {}).get("NotificationConfiguration") or {}
        if "EventBridgeConfiguration" in notification and physical.get(logical):
            s3.put_bucket_notification_configuration(
                Bucket=physical[logical], NotificationConfiguration={"EventBridgeConfiguration": {}}
            )


def _queue_url(cloud: LocalCloud, arn_or_url: str) -> str:
    if arn_or_url.startswith("http"):
        return arn_or_url
    name = arn_or_url.rsplit(":", 1)[-1]
    return str(cloud.client("sqs").get_queue_url(QueueName=name)["QueueUrl"])


def _mentions_skipped(value: Any, all_resources: dict[str, Any], kept: dict[str, Any]) -> bool:
    text = json.dumps(value)
    return any(f'"{name}"' in text or f"${{{name}" in text for name in all_resources if name not in kept)


def _inline_skipped_refs(value: Any, skipped: dict[str, Any]) -> Any:
    """Replace references to resources moto cannot create with their declared Name (what Ref returns)."""

    def name_of(logical: str) -> Any:
        props = skipped[logical].get("Properties", {})
        return _inline_skipped_refs(props.get("Name", props.get("DatabaseInput", {}).get("Name", logical)), skipped)

    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in skipped:
            return name_of(value["Ref"])
        if (
            set(value) == {"Fn::GetAtt"}
            and value["Fn::GetAtt"][0] in skipped
            and skipped[value["Fn::GetAtt"][0]]["Type"] in _UNSUPPORTED_BY_MOTO_CFN
        ):
            return f"local-{value['Fn::GetAtt'][0]}-{value['Fn::GetAtt'][1]}"
        if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
            text = value["Fn::Sub"]
            for logical in skipped:
                if "${" + logical + "}" in text:
                    replacement = name_of(logical)
                    if isinstance(replacement, str):
                        text = text.replace("${" + logical + "}", replacement)
            return {"Fn::Sub": text}
        return {k: _inline_skipped_refs(v, skipped) for k, v in value.items()}
    if isinstance(value, list):
        return [_inline_skipped_refs(v, skipped) for v in value]
    return value


def _env_text(value: Any) -> str:
    """Lambda environment values are strings; YAML booleans become "true"/"false" as CloudFormation writes them."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _safe(key: str) -> str:
    return "".join(ch for ch in key if ch.isalnum())
