"""Read the services' serverless.yml: the one source of truth for resources and subscriptions.

The local cloud deploys what these files declare; it resolves the Serverless variables it needs
(`${sls:stage}`, `${self:...}`, `${opt:...}`, `${param:...}`, `${env:...}`, and the trainer plugin's
`${trainingSource:key}`, the content-hashed key of the training source archive) and turns the
CloudFormation short tags (`!Ref`, `!GetAtt`, `!Sub`, ...) into their JSON forms.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICES_DIR = REPO_ROOT / "services"
#: Deploy order: the ingest service owns the event bus the others subscribe to.
SERVICE_ORDER = ("ingest", "etl-trigger", "trainer", "predictor")

_VARIABLE = re.compile(r"\$\{([^${}]+)\}")


class ServerlessConfigError(ValueError):
    """A serverless.yml the local cloud cannot read; the message names the file and the key."""


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that understands CloudFormation short-form tags."""


def _construct_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


@dataclass(frozen=True)
class Subscription:
    """One event source of a function, as declared in serverless.yml."""

    kind: str  # "sqs" | "eventBridge" | "schedule" | "http"
    spec: dict[str, Any]


@dataclass(frozen=True)
class FunctionSpec:
    service: str
    name: str
    handler: str  # "package/module.attr" as Lambda reads it
    environment: dict[str, Any]
    subscriptions: tuple[Subscription, ...]

    @property
    def module_and_attr(self) -> tuple[str, str]:
        path, attr = self.handler.rsplit(".", 1)
        return path.replace("/", "."), attr


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    directory: Path
    config: dict[str, Any]
    functions: tuple[FunctionSpec, ...] = field(default_factory=tuple)

    @property
    def resources(self) -> dict[str, Any]:
        return dict(self.config.get("resources", {}).get("Resources", {}) or {})

    @property
    def outputs(self) -> dict[str, Any]:
        return dict(self.config.get("resources", {}).get("Outputs", {}) or {})


def load_service(name: str, stage: str = "local", params: dict[str, str] | None = None) -> ServiceSpec:
    """Load services/<name>/serverless.yml with Serverless variables resolved for `stage`."""
    path = SERVICES_DIR / name / "serverless.yml"
    if not path.exists():
        raise ServerlessConfigError(f"{path} not found")
    raw = yaml.load(path.read_text(), Loader=_CfnLoader)
    if not isinstance(raw, dict):
        raise ServerlessConfigError(f"{path}: expected a mapping at the top level")
    declared = raw.get("params") or {}
    stage_params = {**(declared.get("default") or {}), **(declared.get(stage) or {}), **(params or {})}
    resolver = _Resolver(raw, stage, stage_params, path)
    config = resolver.resolve(copy.deepcopy(raw))
    functions = tuple(
        _function_spec(name, fn_name, fn, config, path) for fn_name, fn in (config.get("functions") or {}).items()
    )
    return ServiceSpec(name=name, directory=path.parent, config=config, functions=functions)


def load_services(stage: str = "local", params: dict[str, str] | None = None) -> list[ServiceSpec]:
    """Every service, in deploy order."""
    return [load_service(name, stage, params) for name in SERVICE_ORDER]


def _function_spec(service: str, fn_name: str, fn: dict[str, Any], config: dict[str, Any], path: Path) -> FunctionSpec:
    if "handler" not in fn:
        raise ServerlessConfigError(f"{path}: function {fn_name!r} has no handler")
    environment = {**(config.get("provider", {}).get("environment") or {}), **(fn.get("environment") or {})}
    subscriptions = []
    for event in fn.get("events") or []:
        ((kind, spec),) = event.items()
        subscriptions.append(Subscription(kind=kind, spec=spec if isinstance(spec, dict) else {"value": spec}))
    return FunctionSpec(service, fn_name, fn["handler"], environment, tuple(subscriptions))


class _Resolver:
    """Resolves `${...}` Serverless variables (innermost first) in strings of a config tree."""

    def __init__(self, raw: dict[str, Any], stage: str, params: dict[str, str], path: Path) -> None:
        self.raw, self.stage, self.params, self.path = raw, stage, params, path

    def resolve(self, node: Any) -> Any:
        if isinstance(node, dict):
            return {k: self.resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v) for v in node]
        if isinstance(node, str):
            return self._resolve_string(node)
        return node

    def _resolve_string(self, text: str) -> Any:
        for _ in range(20):
            match = next((m for m in _VARIABLE.finditer(text) if _is_serverless_variable(m.group(1))), None)
            if match is None:
                return text  # what is left (e.g. ${AWS::Region}) belongs to CloudFormation
            value = self._lookup(match.group(1).strip())
            if match.group(0) == text and not isinstance(value, str):
                return self.resolve(value)
            text = text[: match.start()] + str(value) + text[match.end() :]
        raise ServerlessConfigError(f"{self.path}: variables nested too deeply in {text!r}")

    def _lookup(self, expression: str) -> Any:
        source, _, fallback = _split_fallback(expression)
        value = self._source(source)
        if value is None:
            if fallback is None:
                raise ServerlessConfigError(f"{self.path}: cannot resolve ${{{expression}}} locally; give it a default")
            return _literal(fallback)
        return value

    def _source(self, source: str) -> Any:
        if source in ("sls:stage", "opt:stage", "self:provider.stage"):
            return self.stage
        if source.startswith("self:"):
            node: Any = self.raw
            for part in source[5:].split("."):
                if not isinstance(node, dict) or part not in node:
                    return None
                node = node[part]
            return self.resolve(node) if isinstance(node, str | dict | list) else node
        if source.startswith("param:"):
            value = self.params.get(source[6:])
            return self.resolve(value) if isinstance(value, str) else value
        if source.startswith("env:"):
            return os.environ.get(source[4:])
        if source.startswith("opt:"):
            return None
        if source == "aws:region":
            return os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
        if source == "sls:instanceId":
            return "local"
        if source == "trainingSource:key":
            return training_source_key()
        if source.startswith(("'", '"')) or re.fullmatch(r"-?\d+(\.\d+)?|true|false", source):
            return _literal(source)
        return None


_SERVERLESS_SOURCES = (
    "self:", "sls:", "opt:", "param:", "env:", "aws:", "file(", "cf:", "ssm:", "s3:", "strToBool(", "trainingSource:",
)  # fmt: skip


def training_source_key() -> str:
    """What the trainer's deploy plugin resolves `${trainingSource:key}` to: code/sourcedir-<sha256[:16]>.tar.gz."""
    import importlib.util

    script = SERVICES_DIR / "trainer" / "scripts" / "build_source_archive.py"
    spec = importlib.util.spec_from_file_location("airline_build_source_archive", script)
    if spec is None or spec.loader is None:
        raise ServerlessConfigError(f"{script} not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.archive_key(module.build_archive(module.collect_sources())))


def _is_serverless_variable(expression: str) -> bool:
    return expression.strip().startswith(_SERVERLESS_SOURCES)


def _split_fallback(expression: str) -> tuple[str, str, str | None]:
    """`source, fallback` -> (source, ',', fallback); commas inside quotes are kept."""
    in_quote = ""
    for i, ch in enumerate(expression):
        if ch in "'\"":
            in_quote = "" if in_quote == ch else (in_quote or ch)
        elif ch == "," and not in_quote:
            return expression[:i].strip(), ",", expression[i + 1 :].strip()
    return expression.strip(), "", None


def _literal(text: str) -> Any:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text
