"""Offline packaging of the four services (osls + serverless-python-requirements) and package size report.

`airline deploy package` runs `osls-compose package --stage S` (which runs `serverless package --stage S` in
every service directory, in parallel) and copies each service's `.serverless/` to `build/deploy/<S>/<service>/`;
`--service NAME` runs `serverless package` for that service only, straight into the same place. No AWS
credentials are needed: every cross-service reference is a deterministic name or a CloudFormation intrinsic.
`airline deploy sizes` reads those directories and reports each function's unzipped package size.

Heavy work only inside functions: importing this module costs the standard library and typer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Dependency order: ingest owns the event bus, raw bucket and alert topic; predictor comes last.
SERVICES: tuple[str, ...] = ("ingest", "etl-trigger", "trainer", "predictor")
STAGES: tuple[str, ...] = ("dev", "prod")
TEMPLATE_FILE = "cloudformation-template-update-stack.json"
#: The predict function's unzipped budget (predictor issue) and what must never be inside it.
PREDICT_FUNCTION_BUDGET_BYTES = 130 * 1024 * 1024
PREDICT_FORBIDDEN_PACKAGES: tuple[str, ...] = ("sklearn", "scipy", "pyarrow", "pandas")
#: The Lambda runtime's Python; its interpreter compiles the predict function's bytecode at packaging.
LAMBDA_PYTHON = "3.12"
#: Environment for osls: no telemetry, no update checks, no interactive prompts.
_OSLS_ENV = {
    "SLS_TELEMETRY_DISABLED": "1",
    "SLS_NOTIFICATIONS_MODE": "off",
    "SLS_DISABLE_AUTO_UPDATE": "1",
    "SLS_INTERACTIVE_SETUP_DISABLE": "1",
    "CI": "1",
}


class DeployError(Exception):
    """Packaging failed, or a package directory is missing or malformed; the message says which and why."""


@dataclass(frozen=True)
class PackageRun:
    """One `serverless package` (or compose) run: where it ran, how long it took, its combined output."""

    name: str
    stage: str
    seconds: float
    output: str


@dataclass(frozen=True)
class FunctionSize:
    """A Lambda function of a packaged service and the unzipped size of the code it deploys."""

    service: str
    function: str
    logical_id: str
    artifact: str
    unzipped_bytes: int
    top_level: Mapping[str, int]

    @property
    def unzipped_mb(self) -> float:
        return self.unzipped_bytes / (1024 * 1024)


def package_dir(stage: str, service: str, root: Path | None = None, dest: Path | None = None) -> Path:
    """Where the packaged artifacts of `service` for `stage` are kept (template, zip, state).

    Default: <root>/build/deploy/<stage>/<service>; `dest` replaces <root>/build/deploy.
    """
    return (dest or (root or REPO_ROOT) / "build" / "deploy") / stage / service


def find_lambda_python(env: Mapping[str, str], version: str = LAMBDA_PYTHON) -> str | None:
    """A working python<version> (PATH, then pyenv's versions), or None; pyenv shims that fail are skipped."""
    name = f"python{version}"
    pyenv_root = Path(env.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [shutil.which(name, path=env.get("PATH")), *sorted(pyenv_root.glob(f"versions/{version}*/bin/{name}"))]
    for candidate in candidates:
        if candidate is None:
            continue
        probe = [str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
        done = subprocess.run(probe, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
        if done.returncode == 0 and done.stdout.strip() == version:
            return str(candidate)
    return None


def osls_environment(base: Mapping[str, str] | None = None, root: Path | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with node_modules/.bin first on PATH and osls made quiet.

    Sets LAMBDA_PYTHON_BIN (the interpreter the predictor's packaging compiles bytecode with) when it is
    unset and a working python3.12 is found.
    """
    root = root or REPO_ROOT
    env = dict(os.environ if base is None else base)
    if "LAMBDA_PYTHON_BIN" not in env and (python := find_lambda_python(env)):
        env["LAMBDA_PYTHON_BIN"] = python
    bins = [str(root / "node_modules" / ".bin")]
    venv_bin = root / ".venv" / "bin"
    if venv_bin.is_dir():
        bins.append(str(venv_bin))
    env["PATH"] = os.pathsep.join([*bins, env.get("PATH", "")])
    env.update(_OSLS_ENV)
    return env


def _require_node_tools(root: Path) -> None:
    for tool in ("serverless", "osls-compose"):
        if not (root / "node_modules" / ".bin" / tool).exists():
            raise DeployError(f"{tool} not found in {root / 'node_modules/.bin'}: run `make bootstrap` (npm ci)")


def _run(name: str, stage: str, command: Sequence[str], cwd: Path, env: Mapping[str, str]) -> PackageRun:
    started = time.monotonic()
    completed = subprocess.run(
        list(command), cwd=cwd, env=dict(env), capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise DeployError(f"`{' '.join(command)}` failed in {cwd} (exit {completed.returncode}):\n{output[-4000:]}")
    return PackageRun(name, stage, time.monotonic() - started, output)


def package_service(
    service: str,
    stage: str,
    out_dir: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    root: Path | None = None,
    dest: Path | None = None,
) -> PackageRun:
    """`serverless package --stage S --package OUT` in services/<service>; raises DeployError on failure."""
    if service not in SERVICES:
        raise DeployError(f"unknown service {service!r}: choose one of {', '.join(SERVICES)}")
    root = root or REPO_ROOT
    _require_node_tools(root)
    out = out_dir or package_dir(stage, service, root, dest)
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = ["serverless", "package", "--stage", stage, "--package", str(out)]
    return _run(service, stage, command, root / "services" / service, osls_environment(env, root))


def package_compose(
    stage: str, *, env: Mapping[str, str] | None = None, root: Path | None = None, dest: Path | None = None
) -> PackageRun:
    """`osls-compose package --stage S` at the root, then (optionally) copy each .serverless/ to build/deploy/S/.

    Raises DeployError when compose fails or a service produced no template.
    """
    root = root or REPO_ROOT
    _require_node_tools(root)
    run = _run("compose", stage, ["osls-compose", "package", "--stage", stage], root, osls_environment(env, root))
    for service in SERVICES:
        produced = root / "services" / service / ".serverless"
        if not (produced / TEMPLATE_FILE).is_file():
            raise DeployError(f"compose packaged no template for {service} ({produced / TEMPLATE_FILE})")
        target = package_dir(stage, service, root, dest)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(produced, target, ignore=shutil.ignore_patterns("requirements", "requirements.txt"))
    return run


def load_template(directory: Path) -> dict[str, Any]:
    """The CloudFormation template of a package directory; raises DeployError when it is missing."""
    path = directory / TEMPLATE_FILE
    if not path.is_file():
        raise DeployError(f"no {TEMPLATE_FILE} in {directory}: run `airline deploy package` first")
    template: dict[str, Any] = json.loads(path.read_text())
    return template


def _artifact_name(code: object) -> str:
    if isinstance(code, dict):
        key = code.get("S3Key")
        if isinstance(key, str):
            return key.rsplit("/", 1)[-1]
    raise DeployError(f"function code without an S3Key: {code!r}")


def _unzipped(zip_path: Path) -> tuple[int, dict[str, int]]:
    top: dict[str, int] = {}
    total = 0
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            total += info.file_size
            head = info.filename.split("/", 1)[0]
            top[head] = top.get(head, 0) + info.file_size
    return total, top


def function_sizes(service: str, directory: Path) -> list[FunctionSize]:
    """Unzipped code size of every AWS::Lambda::Function in a package directory (from its template + zips)."""
    template = load_template(directory)
    resources = template.get("Resources", {})
    assert isinstance(resources, dict)
    sizes: list[FunctionSize] = []
    cache: dict[str, tuple[int, dict[str, int]]] = {}
    for logical_id, resource in sorted(resources.items()):
        if resource.get("Type") != "AWS::Lambda::Function":
            continue
        properties = resource.get("Properties", {})
        artifact = _artifact_name(properties.get("Code"))
        zip_path = directory / artifact
        if not zip_path.is_file():
            raise DeployError(f"{service}: {logical_id} deploys {artifact}, which is not in {directory}")
        if artifact not in cache:
            cache[artifact] = _unzipped(zip_path)
        total, top = cache[artifact]
        name = str(properties.get("FunctionName", logical_id))
        sizes.append(FunctionSize(service, name, logical_id, artifact, total, top))
    return sizes


def all_function_sizes(stage: str, root: Path | None = None, dest: Path | None = None) -> list[FunctionSize]:
    """function_sizes for every service packaged under build/deploy/<stage>/ (or dest/<stage>/)."""
    return [size for service in SERVICES for size in function_sizes(service, package_dir(stage, service, root, dest))]


def forbidden_packages(size: FunctionSize, forbidden: Iterable[str] = PREDICT_FORBIDDEN_PACKAGES) -> list[str]:
    """Top-level entries of the package that are (or are dist-info of) a forbidden distribution."""
    found = []
    for entry in size.top_level:
        base = entry.split("-", 1)[0].split(".", 1)[0].lower()
        if base in forbidden:
            found.append(entry)
    return sorted(found)


# ---------------------------------------------------------------------------------------------------- CLI

deploy_app = typer.Typer(help="Offline packaging of the services (osls) and package sizes.", no_args_is_help=True)


@deploy_app.command("package")
def package_command(
    stage: Annotated[str, typer.Option("--stage", help="Stage to package (dev, prod, ...).")] = "dev",
    service: Annotated[
        str | None, typer.Option("--service", help="Only this service (serverless package, no compose).")
    ] = None,
) -> None:
    """Package every service through serverless-compose (or one service), offline; artifacts in build/deploy/."""
    try:
        runs = [package_service(service, stage)] if service else [package_compose(stage)]
    except DeployError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    for run in runs:
        typer.echo(f"packaged {run.name} (stage {stage}) in {run.seconds:.0f} s")
    names = [service] if service else list(SERVICES)
    typer.echo("artifacts: " + ", ".join(str(package_dir(stage, name).relative_to(REPO_ROOT)) for name in names))


@deploy_app.command("sizes")
def sizes_command(
    stage: Annotated[str, typer.Option("--stage", help="Stage whose packages to read.")] = "dev",
    packages: Annotated[
        Path | None, typer.Option("--packages", help="Directory holding <stage>/<service>/ (default build/deploy).")
    ] = None,
) -> None:
    """Unzipped package size of every function (after `airline deploy package`); fails over the predict budget."""
    try:
        sizes = all_function_sizes(stage, dest=packages)
    except DeployError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Lambda packages, stage {stage} (unzipped; AWS limit 250 MB including layers)")
    typer.echo(f"{'service':<12} {'function':<46} {'MB':>6}  largest entries (MB)")
    for size in sizes:
        largest = sorted(size.top_level.items(), key=lambda item: -item[1])[:4]
        entries = ", ".join(f"{name} {value / 1048576:.1f}" for name, value in largest)
        typer.echo(f"{size.service:<12} {size.function:<46} {size.unzipped_mb:>6.1f}  {entries}")
    failed = False
    for size in sizes:
        if size.logical_id == "PredictLambdaFunction":
            bad = forbidden_packages(size)
            if size.unzipped_bytes >= PREDICT_FUNCTION_BUDGET_BYTES or bad:
                typer.echo(f"predict function over budget or carrying {bad}: {size.unzipped_mb:.1f} MB", err=True)
                failed = True
    if failed:
        raise typer.Exit(1)
