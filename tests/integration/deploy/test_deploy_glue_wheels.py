"""The Glue job's dependencies ship as wheels in S3: pinned, content-hashed, installed with pip --no-index.

The packaged template names only s3:// wheels, the artifact build produces a wheel for every pin of
services/etl-trigger/requirements-glue.txt (pip download, or the local wheelhouse build/glue-wheelhouse/),
and those wheels install on Glue 5.0's Python without a package index.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_templates import literal, resources_of

from airline import deploy

ETL_DIR = deploy.REPO_ROOT / "services" / "etl-trigger"


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_glue_artifacts", ETL_DIR / "scripts" / "build_glue_artifacts.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_glue_artifacts"] = module
    spec.loader.exec_module(module)
    return module


build = _build_script()


def job_arguments(template: dict) -> dict:
    (job,) = resources_of(template, "AWS::Glue::Job").values()
    return dict(job["Properties"]["DefaultArguments"])


def job_modules(template: dict) -> list[str]:
    """The entries of the job's --additional-python-modules, as written in the template (${ProcessedBucket} kept)."""
    return literal(job_arguments(template)["--additional-python-modules"]).split(",")


def _fake_wheel(directory: Path, name: str, version: str) -> tuple[Path, str]:
    """A small wheel file on disk and its sha256 (what a pin's --hash names)."""
    file_name, data = build.build_wheel(name, version, {f"{name}/__init__.py": f"VERSION = {version!r}\n".encode()})
    directory.mkdir(parents=True, exist_ok=True)
    (directory / file_name).write_bytes(data)
    return directory / file_name, hashlib.sha256(data).hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize("stage", deploy.STAGES)
def test_glue_job_installs_only_s3_wheels_without_an_index(packaged, stage):
    # Given the Glue job of the packaged template
    arguments = job_arguments(packaged.template(stage, "etl-trigger"))

    # Then every module it installs is a content-hashed wheel in the processed bucket's glue/wheels/
    modules = job_modules(packaged.template(stage, "etl-trigger"))
    pattern = r"s3://\$\{ProcessedBucket\}/glue/wheels/[0-9a-f]{16}/[A-Za-z0-9_.]+-[^-/]+-[^/]+\.whl"
    assert [module for module in modules if not re.fullmatch(pattern, module)] == []
    # And pip is told to use no package index at all
    assert arguments["--python-modules-installer-option"] == "--no-index"


@pytest.mark.slow
def test_glue_job_names_a_wheel_for_every_pin_and_both_of_our_packages(packaged):
    # Given the job's wheels and the pins of requirements-glue.txt
    modules = job_modules(packaged.template("dev", "etl-trigger"))
    names = {module.rsplit("/", 1)[-1].split("-", 1)[0].lower(): module for module in modules}
    pins = build.read_pins()

    # Then each pin's wheel is named at its pinned version, next to airline_shared and etl_job
    assert {pin.name for pin in pins} | {"airline_shared", "etl_job"} == set(names)
    assert all(f"/{pin.name}-{pin.version}-" in names[pin.name] for pin in pins)


@pytest.mark.slow
def test_packaging_builds_exactly_the_wheels_the_job_names(packaged):
    # Given the dev etl-trigger package
    directory = packaged.directory("dev", "etl-trigger") / "glue"
    modules = job_modules(packaged.template("dev", "etl-trigger"))

    # When listing the wheels built next to it
    built = sorted(p.relative_to(directory).as_posix() for p in (directory / "wheels").rglob("*.whl"))

    # Then they are the job's wheels, each under the first 16 hex digits of its own sha256
    assert built == sorted(module.removeprefix("s3://${ProcessedBucket}/glue/") for module in modules)
    assert all(key.split("/")[1] == hashlib.sha256((directory / key).read_bytes()).hexdigest()[:16] for key in built)


def test_glue_pins_match_the_dev_lock():
    # Given the Glue job's pins and the lock the local ETL and its tests run with
    lock = {}
    for line in (deploy.REPO_ROOT / "requirements" / "dev.lock").read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split(";")[0].strip().split("==")
            lock[build.normalise_name(name)] = version.strip()

    # Then Glue runs the same versions as the local ETL
    assert {pin.name: pin.version for pin in build.read_pins()} == {
        pin.name: lock.get(pin.name) for pin in build.read_pins()
    }


def test_artifact_build_downloads_the_pinned_wheels_for_glue(tmp_path):
    # Given the real pins (pip download from the index, or its cache, into an empty wheelhouse)
    pins = build.read_pins()

    # When fetching the third-party wheels
    wheels = build.fetch_dependency_wheels(wheelhouse=tmp_path / "wheelhouse")

    # Then there is one wheel per pin, at its version, matching its hash, built for CPython 3.11 / manylinux x86_64
    assert sorted(w.name.split("-")[0].lower() for w in wheels) == sorted(pin.name for pin in pins)
    for pin, wheel in zip(pins, wheels, strict=True):
        assert wheel.name.startswith(f"{pin.name}-{pin.version}-")
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() in pin.hashes
        tags = wheel.name.removesuffix(".whl").split("-")[-3:]
        assert tags[0] in {"py3", "cp311"} and (tags[2] == "any" or "manylinux2014_x86_64" in tags[2])


def test_glue_wheels_install_together_without_an_index(tmp_path):
    # Given the job's wheels as the deploy uploads them
    built = build.build_artifacts(tmp_path / "glue")
    wheels = [str(path) for key, path in built.items() if key.startswith("wheels/")]

    # When pip installs them for Glue 5.0's Python as the job does: no index, dependencies resolved among them
    target = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index"]
    done = subprocess.run(
        [*pip, *build.GLUE_PIP_TARGET, "--target", str(target), *wheels],
        capture_output=True,
        text=True,
        check=False,
    )

    # Then nothing is missing: our packages and every pinned dependency are installed
    assert done.returncode == 0, done.stderr
    installed = {path.name.split("-", 1)[0].lower() for path in target.glob("*.dist-info")}
    assert installed == {pin.name for pin in build.read_pins()} | {"airline_shared", "etl_job"}
    assert (target / "etl_job" / "glue_main.py").is_file()


def test_a_wheelhouse_hit_needs_no_index(tmp_path):
    # Given a wheelhouse holding the one pinned wheel, of a distribution no index has (pip would fail on it)
    wheel, digest = _fake_wheel(tmp_path / "wheelhouse", "airline_fake", "1.0.0")
    requirements = tmp_path / "requirements-glue.txt"
    requirements.write_text(f"airline-fake==1.0.0 \\\n    --hash=sha256:{digest}\n")

    # When fetching / Then the wheel comes from the wheelhouse, offline
    assert build.fetch_dependency_wheels(requirements, tmp_path / "wheelhouse") == [wheel]


def test_a_changed_pin_gets_a_new_key_and_leaves_no_old_wheel_to_upload(tmp_path):
    # Given two versions of a dependency in the wheelhouse and a build with the first pinned
    wheelhouse = tmp_path / "wheelhouse"
    _, old_digest = _fake_wheel(wheelhouse, "airline_fake", "1.0.0")
    _, new_digest = _fake_wheel(wheelhouse, "airline_fake", "1.1.0")
    requirements = tmp_path / "requirements-glue.txt"
    requirements.write_text(f"airline-fake==1.0.0 --hash=sha256:{old_digest}\n")
    before = set(build.build_artifacts(tmp_path / "glue", requirements, wheelhouse))

    # When the pin changes and the artifacts are built again in the same place
    requirements.write_text(f"airline-fake==1.1.0 --hash=sha256:{new_digest}\n")
    after = set(build.build_artifacts(tmp_path / "glue", requirements, wheelhouse))

    # Then the new wheel has a new key and only the new one is left in the directory the deploy uploads
    assert f"wheels/{new_digest[:16]}/airline_fake-1.1.0-py3-none-any.whl" in after - before
    on_disk = {p.relative_to(tmp_path / "glue").as_posix() for p in (tmp_path / "glue" / "wheels").rglob("*.whl")}
    assert on_disk == {key for key in after if key.startswith("wheels/")}
    assert not any("airline_fake-1.0.0" in key for key in on_disk)


@pytest.mark.parametrize(
    "line",
    ["sqlglot>=30 --hash=sha256:" + "0" * 64, "sqlglot==30.30.0", "-e ./local", "--index-url https://example.org"],
)
def test_pins_must_be_exact_and_hashed(tmp_path, line):
    # Given a requirements line that is not an exact, hashed pin
    requirements = tmp_path / "requirements-glue.txt"
    requirements.write_text(line + "\n")

    # Then the build refuses it before asking pip anything
    with pytest.raises(build.GlueArtifactError, match="name==version"):
        build.read_pins(requirements)


def test_an_unavailable_pin_fails_the_build_with_pips_reason(tmp_path):
    # Given a pin no index has (the download fails the same way with or without a network)
    requirements = tmp_path / "requirements-glue.txt"
    requirements.write_text("airline-no-such-distribution-4f1c==0.0.1 --hash=sha256:" + "0" * 64 + "\n")

    # Then fetching raises, naming the file, instead of building a job that cannot start
    with pytest.raises(build.GlueArtifactError, match=r"pip download of requirements-glue\.txt failed"):
        build.fetch_dependency_wheels(requirements, tmp_path / "wheelhouse")
