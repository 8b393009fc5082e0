"""Helpers to read packaged CloudFormation templates: resources by type, literal names, IAM statements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

Template = dict[str, Any]


def resources_of(template: Template, resource_type: str) -> dict[str, dict[str, Any]]:
    """Logical id -> resource for every resource of `resource_type`."""
    return {key: res for key, res in template["Resources"].items() if res.get("Type") == resource_type}


def literal(value: Any) -> str:
    """A readable string for a name: literals as is, Fn::Sub templates as written, Fn::Join with ${...} parts."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "Fn::Sub" in value:
            sub = value["Fn::Sub"]
            return sub if isinstance(sub, str) else str(sub[0])
        if "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return separator.join(literal(part) for part in parts)
        if "Ref" in value:
            return "${" + str(value["Ref"]) + "}"
        if "Fn::GetAtt" in value:
            attribute = value["Fn::GetAtt"]
            return "${" + (".".join(attribute) if isinstance(attribute, list) else str(attribute)) + "}"
    return str(value)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def referenced_id(value: Any) -> str | None:
    """The logical id behind {"Ref": X} or {"Fn::GetAtt": [X, ...]}, else None."""
    if isinstance(value, dict):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            attribute = value["Fn::GetAtt"]
            return str(attribute[0] if isinstance(attribute, list) else attribute.split(".")[0])
    return None


_POLICY_TYPES = {
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy",
}


def policy_statements(template: Template) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, statement) for every statement of identity policies (roles, policies) and resource policies."""
    for key, res in template["Resources"].items():
        props = res.get("Properties", {})
        documents = []
        if res["Type"] == "AWS::IAM::Role":
            documents += [(f"{key}/{p.get('PolicyName')}", p["PolicyDocument"]) for p in props.get("Policies", [])]
        elif res["Type"] in _POLICY_TYPES:
            documents.append((key, props["PolicyDocument"]))
        for where, document in documents:
            for statement in as_list(document.get("Statement", [])):
                yield where, statement


def stage_token(stage: str) -> re.Pattern[str]:
    """Matches `stage` as a whole name segment (airline-dev-x, /airline/dev/, airline_dev)."""
    return re.compile(rf"(^|[-_/]){re.escape(stage)}([-_/]|$)")


def resolve_in_region(value: Any, template: Template, region: str, account: str = "123456789012") -> Any:
    """Evaluate pseudo parameters, Fn::FindInMap and Fn::Sub (both forms) as CloudFormation would in `region`.

    Other references (resources) are left as `${Name}`: enough to read region-dependent names and URIs.
    """
    pseudo = {
        "AWS::Region": region,
        "AWS::AccountId": account,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
    }
    if isinstance(value, list):
        return [resolve_in_region(item, template, region, account) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"}:
        return pseudo.get(value["Ref"], "${" + str(value["Ref"]) + "}")
    if set(value) == {"Fn::FindInMap"}:
        name, key, attribute = (resolve_in_region(part, template, region, account) for part in value["Fn::FindInMap"])
        return template["Mappings"][name][key][attribute]
    if set(value) == {"Fn::Sub"}:
        text, variables = (value["Fn::Sub"], {}) if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"]
        known = pseudo | {k: resolve_in_region(v, template, region, account) for k, v in variables.items()}
        return re.sub(r"\$\{([^}!]+)\}", lambda m: str(known.get(m.group(1), m.group(0))), text)
    return {key: resolve_in_region(item, template, region, account) for key, item in value.items()}


def put_events_statements(template: Template) -> list[tuple[str, dict[str, Any]]]:
    """(where, statement) of every Allow statement granting events:PutEvents."""
    return [
        (where, statement)
        for where, statement in policy_statements(template)
        if statement.get("Effect") == "Allow" and "events:PutEvents" in as_list(statement.get("Action", []))
    ]
