"""Packages every service once per test session (osls, offline, no AWS credentials) for the deploy checks.

Both stages go through `osls-compose package --stage S` (which runs `serverless package --stage S` in every
service directory, in parallel); each service's .serverless/ is then copied to build/deploy-test/<S>/<service>/.
Both stages write services/<name>/.serverless/, so they run one after the other (and nothing else may package
or deploy those services meanwhile).

The result is kept in build/deploy-test/ with a stamp of every input (service sources, shared/, compose file,
lock files): a later session (or another xdist worker, behind a file lock) with the same inputs reuses it.
AIRLINE_DEPLOY_REPACKAGE=1 forces a fresh packaging.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from airline import deploy

ROOT = deploy.REPO_ROOT
DEST = ROOT / "build" / "deploy-test"
STAMP = DEST / "stamp.json"
_INPUT_FILES = ("serverless-compose.yml", "package.json", "package-lock.json")
_INPUT_DIRS = ("shared/airline_shared", *(f"services/{name}" for name in deploy.SERVICES))
_SKIP_PARTS = {".serverless", "__pycache__", ".build", ".pytest_cache", ".mypy_cache"}


@dataclass(frozen=True)
class PackagedServices:
    """Where each (stage, service) package lives and how long packaging took (seconds, by run name)."""

    root: Path
    timings: dict[str, float]

    def directory(self, stage: str, service: str) -> Path:
        return deploy.package_dir(stage, service, dest=self.root)

    def template(self, stage: str, service: str) -> dict:
        return deploy.load_template(self.directory(stage, service))


def inputs_digest() -> str:
    """SHA-256 over every file that can change a package."""
    digest = hashlib.sha256()
    paths = [ROOT / name for name in _INPUT_FILES]
    for directory in _INPUT_DIRS:
        paths += [p for p in (ROOT / directory).rglob("*") if p.is_file() and not _SKIP_PARTS & set(p.parts)]
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def offline_environment() -> dict[str, str]:
    """This environment without any AWS credentials, profile or endpoint: packaging must not need them."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_") or key == "AWS_CA_BUNDLE"}
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env["AWS_CONFIG_FILE"] = str(DEST / "no-aws-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(DEST / "no-aws-credentials")
    return env


def _package_everything() -> dict[str, float]:
    env = offline_environment()
    timings: dict[str, float] = {}
    started = time.monotonic()
    for stage in deploy.STAGES:  # one after the other: both write services/<name>/.serverless/
        timings[f"compose package {stage} (4 services in parallel)"] = deploy.package_compose(
            stage, env=env, dest=DEST
        ).seconds
    timings["total"] = time.monotonic() - started
    return timings


@pytest.fixture(scope="session")
def packaged() -> Iterator[PackagedServices]:
    """Both stages of every service packaged (or reused from an identical earlier packaging)."""
    DEST.mkdir(parents=True, exist_ok=True)
    with (DEST / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        digest = inputs_digest()
        stamp = json.loads(STAMP.read_text()) if STAMP.is_file() else {}
        if stamp.get("digest") != digest or os.environ.get("AIRLINE_DEPLOY_REPACKAGE") == "1":
            STAMP.unlink(missing_ok=True)
            timings = _package_everything()
            STAMP.write_text(json.dumps({"digest": digest, "timings": timings}, indent=2))
        else:
            timings = stamp["timings"]
        fcntl.flock(lock, fcntl.LOCK_UN)
    yield PackagedServices(DEST, timings)
