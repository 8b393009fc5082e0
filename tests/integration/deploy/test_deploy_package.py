"""Offline packaging of every service (both stages, compose for dev): artifacts, contents and sizes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile

import pytest
import yaml
from typer.testing import CliRunner

from airline import deploy
from airline.cli import app

ETL_SCRIPTS = deploy.REPO_ROOT / "services" / "etl-trigger" / "scripts"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ETL_SCRIPTS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.parametrize("stage", deploy.STAGES)
@pytest.mark.parametrize("service", deploy.SERVICES)
def test_service_packages_offline_into_a_template_and_a_zip(packaged, stage, service):
    # Given the session's packaging (no AWS credentials in its environment)
    directory = packaged.directory(stage, service)

    # Then the template names the stage and its code artifact sits next to it
    template = deploy.load_template(directory)
    sizes = deploy.function_sizes(service, directory)
    assert sizes, f"{service} has no function"
    assert all(size.unzipped_bytes > 0 for size in sizes)
    assert f"/{stage}/" in json.dumps(template["Resources"]).replace("\\/", "/")


@pytest.mark.slow
@pytest.mark.parametrize("service", deploy.SERVICES)
def test_package_contains_the_service_code_and_the_shared_library(packaged, service):
    # Given the dev package of the service
    (size, *_) = deploy.function_sizes(service, packaged.directory("dev", service))

    # Then airline_shared and the service's own package are at the zip root
    with zipfile.ZipFile(packaged.directory("dev", service) / size.artifact) as archive:
        names = set(archive.namelist())
    assert "airline_shared/__init__.py" in names
    assert f"{service.replace('-', '_')}/__init__.py" in names


@pytest.mark.slow
@pytest.mark.parametrize("stage", deploy.STAGES)
def test_predict_function_stays_under_budget_without_heavy_libraries(packaged, stage):
    # Given the predictor package
    sizes = deploy.function_sizes("predictor", packaged.directory(stage, "predictor"))

    # When picking the predict function
    (predict,) = [size for size in sizes if size.logical_id == "PredictLambdaFunction"]

    # Then it fits its budget and carries no scikit-learn, scipy, pyarrow or pandas
    assert predict.unzipped_bytes < deploy.PREDICT_FUNCTION_BUDGET_BYTES
    assert deploy.forbidden_packages(predict) == []


@pytest.mark.slow
def test_sizes_command_reports_every_function(packaged):
    # Given the packages of stage dev
    expected = deploy.all_function_sizes("dev", dest=packaged.root)

    # When the CLI reports them
    result = CliRunner().invoke(app, ["deploy", "sizes", "--stage", "dev", "--packages", str(packaged.root)])

    # Then it succeeds and names every function
    assert result.exit_code == 0, result.output
    assert all(size.function[:20] in result.output for size in expected)


def test_sizes_command_fails_clearly_without_packages(tmp_path):
    # When reading sizes from an empty directory
    result = CliRunner().invoke(app, ["deploy", "sizes", "--packages", str(tmp_path)])

    # Then it exits non-zero and says what to run
    assert result.exit_code == 1
    assert "airline deploy package" in result.output


def test_package_service_rejects_an_unknown_service():
    # When packaging a service that does not exist
    with pytest.raises(deploy.DeployError, match="unknown service"):
        deploy.package_service("billing", "dev")


@pytest.mark.slow
def test_etl_package_builds_the_glue_artifacts_the_job_points_at(packaged):
    # Given the dev etl-trigger package and its Glue job
    directory = packaged.directory("dev", "etl-trigger")
    template = deploy.load_template(directory)
    job = next(r for r in template["Resources"].values() if r["Type"] == "AWS::Glue::Job")["Properties"]
    modules = json.dumps(job["DefaultArguments"]["--additional-python-modules"])

    # Then the script and every wheel named by the job (ours and the pinned dependencies) were built next to it
    built = {p.relative_to(directory / "glue").as_posix() for p in (directory / "glue").rglob("*") if p.is_file()}
    assert "glue_main.py" in built
    wheels = {name for name in built if name.startswith("wheels/")}
    assert {name.rsplit("/", 1)[-1].split("-", 1)[0] for name in wheels} >= {"airline_shared", "etl_job", "pydantic"}
    assert all(f"/glue/{name}" in modules for name in wheels)


@pytest.mark.slow
def test_etl_template_holds_the_analysis_library_as_named_queries(packaged):
    # Given the dev etl-trigger template
    from airline.analysis.library import list_queries

    template = deploy.load_template(packaged.directory("dev", "etl-trigger"))

    # When reading its named queries
    names = {r["Properties"]["Name"] for r in template["Resources"].values() if r["Type"] == "AWS::Athena::NamedQuery"}

    # Then every library query is there under the stage's prefix
    assert {f"airline-dev-{query.name}" for query in list_queries()} <= names


def test_athena_named_queries_file_is_up_to_date():
    # Given the committed file and the analysis library
    render = _load_script("render_athena_queries")

    # Then regenerating gives the same text
    assert (ETL_SCRIPTS.parent / "athena-named-queries.yml").read_text() == render.render()


def test_glue_wheels_are_deterministic_and_installable(tmp_path):
    # Given two builds of the Glue artifacts
    build = _load_script("build_glue_artifacts")
    first = build.build_artifacts(tmp_path / "a")
    second = build.build_artifacts(tmp_path / "b")

    # Then they are byte-identical
    assert {k: p.read_bytes() for k, p in first.items()} == {k: p.read_bytes() for k, p in second.items()}
    # And pip installs our two wheels (no network: --no-deps, local files; all of them: test_deploy_glue_wheels.py)
    target = tmp_path / "site"
    wheels = [str(p) for k, p in first.items() if k.startswith("wheels/") and p.name.startswith(("airline", "etl"))]
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target), *wheels],
        check=True,
        capture_output=True,
    )
    assert (target / "airline_shared" / "__init__.py").is_file()
    assert (target / "etl_job" / "glue_main.py").is_file()


def test_glue_upload_rejects_a_destination_that_is_not_s3(tmp_path):
    # Given built artifacts
    build = _load_script("build_glue_artifacts")
    built = build.build_artifacts(tmp_path)

    # Then a non-S3 destination is refused before anything is sent
    with pytest.raises(build.GlueArtifactError, match="s3://"):
        build.upload_artifacts(built, "/tmp/glue")


def test_compose_lists_the_services_in_dependency_order():
    # Given the compose file
    compose = yaml.safe_load((deploy.REPO_ROOT / "serverless-compose.yml").read_text())["services"]

    # Then it holds the four services, each depending only on services listed before it
    assert list(compose) == list(deploy.SERVICES)
    for index, name in enumerate(compose):
        assert compose[name]["path"] == f"services/{name}"
        assert set(compose[name].get("dependsOn", [])) <= set(list(compose)[:index])
    assert all("ingest" in compose[name]["dependsOn"] for name in list(compose)[1:])
