"""docs/DEPLOY.md, read as a user follows it: paths, directories and parameters its commands name exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from airline import deploy

DOC = deploy.REPO_ROOT / "docs" / "DEPLOY.md"


def _bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def _commands(block: str) -> list[list[str]]:
    """Each line's commands (split on &&), comments and line continuations removed."""
    text = block.replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith(("#", "for ", "done", "aws ", "curl ")):
            commands += [shlex.split(part) for part in line.split("&&")]
    return commands


def _per_service_block() -> str:
    (block,) = [b for b in _bash_blocks() if "cd services/ingest" in b]
    return block


def test_per_service_deploy_visits_every_service_in_compose_order_and_returns_to_the_root():
    # Given the per-service block, run as one shell from the repository root
    cwd = deploy.REPO_ROOT
    deployed_in: list[Path] = []

    for command in _commands(_per_service_block()):
        if command[0] == "cd":
            cwd = (cwd / command[1]).resolve()
            # Then every directory it changes to exists
            assert cwd.is_dir(), command
        elif command[:3] == ["npx", "serverless", "deploy"]:
            # And every deploy runs in a service directory
            assert (cwd / "serverless.yml").is_file(), cwd
            deployed_in.append(cwd)
        elif command[0].startswith("python"):
            # And every script it runs exists where the shell is
            assert (cwd / command[1]).is_file(), (cwd, command)

    # And the services are deployed in dependency order, the shell ending where it started
    assert [path.name for path in deployed_in] == list(deploy.SERVICES)
    assert cwd == deploy.REPO_ROOT


def test_every_python_command_of_the_doc_runs_from_the_root():
    # Given every `python ...` command of the doc's text and blocks (all written for the repository root)
    scripts = re.findall(r"python (services/[\w/.-]+\.py)", DOC.read_text())

    # Then each script exists
    assert scripts
    assert [script for script in scripts if not (deploy.REPO_ROOT / script).is_file()] == []


def test_every_param_the_doc_names_is_declared_by_a_service():
    # Given the params the doc tells users to override
    named = set(re.findall(r'--param "(\w+)=', DOC.read_text())) | set(re.findall(r"--param (\w+)=", DOC.read_text()))
    declared = "\n".join((deploy.REPO_ROOT / "services" / s / "serverless.yml").read_text() for s in deploy.SERVICES)

    # Then each is a params entry of some serverless.yml
    assert named
    assert [name for name in sorted(named) if not re.search(rf"^\s+{name}:", declared, flags=re.MULTILINE)] == []
