"""serverless.yml: the reload reads the trainer's registry table (by its real name) with GetItem only."""

from typing import Any

import pytest

from airline.local.serverless_config import load_service


@pytest.fixture(scope="module")
def predictor() -> Any:
    return load_service("predictor", stage="dev")


def _statements(service: Any, function: str) -> list[dict[str, Any]]:
    return list(service.config["functions"][function].get("iamRoleStatements") or [])


def test_reload_reads_the_table_the_trainer_declares(predictor: Any) -> None:
    # Given the trainer's registry table as its serverless.yml names it
    table = load_service("trainer", stage="dev").resources["RegistryTable"]["Properties"]["TableName"]
    # Then the reload function is configured with that table
    reload_fn = next(f for f in predictor.functions if f.name == "reload")
    assert reload_fn.environment["REGISTRY_TABLE"] == table


def test_reload_may_only_get_items_from_that_one_table(predictor: Any) -> None:
    registry = [s for s in _statements(predictor, "reload") if any(a.startswith("dynamodb:") for a in s["Action"])]
    assert len(registry) == 1
    assert registry[0]["Action"] == ["dynamodb:GetItem"]
    assert registry[0]["Resource"]["Fn::Sub"].endswith(":table/airline-dev-model-registry")


def test_the_predict_api_has_no_registry_access(predictor: Any) -> None:
    actions = [a for s in _statements(predictor, "predict") for a in s["Action"]]
    assert not any(a.startswith("dynamodb:") for a in actions)
