"""Rollback and listing on moto: the logic entry and the `airline model` commands."""

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from airline_shared.events import ModelUpdated, parse_detail
from helpers import load_event
from trainer.adapters.registry import DynamoModelRegistry
from trainer.adapters.wiring import build_evaluation_deps, build_registry_deps
from trainer.logic.evaluation import handle_training_state_change
from trainer.logic.rollback import rollback_model
from trainer.models.settings import EvaluationSettings, RegistrySettings
from trainer_support import MODELS_BUCKET, REGISTRY_TABLE, bundle_files, tar_gz
from typer.testing import CliRunner

from airline.cli import app
from airline.model_cli import registry_names

Events = Callable[[], list[dict[str, Any]]]


def _promote(job: str, version: str, pr_auc: float) -> None:
    envelope = load_event("sagemaker_training_state_change_completed")
    envelope["detail"]["TrainingJobName"] = job
    key = f"training-jobs/{job}/output/model.tar.gz"
    boto3.client("s3").put_object(Bucket=MODELS_BUCKET, Key=key, Body=tar_gz(bundle_files(version, pr_auc=pr_auc)))
    envelope["detail"]["OutputDataConfig"]["S3OutputPath"] = f"s3://{MODELS_BUCKET}/training-jobs/"
    handle_training_state_change(envelope, build_evaluation_deps(EvaluationSettings()))


@pytest.fixture
def two_promotions(captured_events: Events) -> Events:
    """v-0001 then v-0002 promoted (v-0002 current); the capture queue drained."""
    _promote("airline-dev-job-1", "v-0001", 0.40)
    _promote("airline-dev-job-2", "v-0002", 0.45)
    captured_events()
    return captured_events


def test_rollback_moves_the_pointer_and_emits_model_updated(two_promotions: Events) -> None:
    # When rolling back to v-0001
    rollback_model("v-0001", build_registry_deps(RegistrySettings()))
    # Then CURRENT is v-0001 and ModelUpdated(cause=rollback) reached the bus
    current = DynamoModelRegistry(REGISTRY_TABLE).get_current()
    assert current is not None and (current.version, current.cause) == ("v-0001", "rollback")
    events = [parse_detail(e["detail-type"], e["detail"]) for e in two_promotions()]
    updated = events[-1]
    assert isinstance(updated, ModelUpdated)
    assert (updated.version, updated.previous_version, updated.cause) == ("v-0001", "v-0002", "rollback")
    assert updated.bundle_uri == f"s3://{MODELS_BUCKET}/bundles/v-0001"


def test_cli_rollback_by_stage_convention(two_promotions: Events) -> None:
    # When the operator runs `airline model rollback v-0001 --stage dev`
    result = CliRunner().invoke(app, ["model", "rollback", "v-0001", "--stage", "dev"])
    # Then it succeeds and says what is served now
    assert result.exit_code == 0, result.output
    assert "current model is now v-0001 (was v-0002)" in result.output
    assert DynamoModelRegistry(REGISTRY_TABLE).get_current().version == "v-0001"  # type: ignore[union-attr]


def test_cli_rollback_to_unknown_version_fails_clearly(two_promotions: Events) -> None:
    result = CliRunner().invoke(app, ["model", "rollback", "v-9999", "--stage", "dev"])
    assert result.exit_code == 1
    assert "no model version 'v-9999'" in result.output
    assert DynamoModelRegistry(REGISTRY_TABLE).get_current().version == "v-0002"  # type: ignore[union-attr]


def test_cli_list_marks_the_current_version(two_promotions: Events) -> None:
    result = CliRunner().invoke(app, ["model", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "v-000" in line]
    assert len(lines) == 2
    assert "*" in lines[1] and "v-0002" in lines[1]
    assert "*" not in lines[0]


def test_registry_names_prefer_options_then_stage_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRY_TABLE", "from-env")
    monkeypatch.setenv("EVENT_BUS_NAME", "bus-env")
    assert registry_names(None, None, None) == {"registry_table": "from-env", "event_bus_name": "bus-env"}
    assert registry_names("prod", None, None) == {
        "registry_table": "airline-prod-model-registry",
        "event_bus_name": "airline-prod",
    }
    assert registry_names("prod", "t", None)["registry_table"] == "t"


def test_cli_list_on_a_stage_without_registry_explains_what_to_check(aws: None) -> None:
    # Given no registry table for stage "qa"
    # When listing it
    result = CliRunner().invoke(app, ["model", "list", "--stage", "qa"])
    # Then one clear error line, no traceback
    assert result.exit_code == 1
    assert "ResourceNotFoundException" in result.output
    assert "airline-qa-model-registry" in result.output
    assert "Traceback" not in result.output
