"""Fixtures wiring the in-memory fakes of the trainer ports into the logic dependencies."""

import pytest
from trainer.logic.ports import EvaluationDeps, LaunchDeps, RegistryDeps
from trainer_support import (
    FIXED_NOW,
    FakeArtifacts,
    FakeEvents,
    FakeLauncher,
    FakeRegistry,
    evaluation_settings,
    launch_settings,
)


@pytest.fixture
def launcher() -> FakeLauncher:
    return FakeLauncher()


@pytest.fixture
def artifacts() -> FakeArtifacts:
    return FakeArtifacts()


@pytest.fixture
def registry() -> FakeRegistry:
    return FakeRegistry()


@pytest.fixture
def events() -> FakeEvents:
    return FakeEvents()


@pytest.fixture
def launch_deps(launcher: FakeLauncher, events: FakeEvents) -> LaunchDeps:
    return LaunchDeps(jobs=launcher, events=events, settings=launch_settings(), now=lambda: FIXED_NOW)


@pytest.fixture
def evaluation_deps(artifacts: FakeArtifacts, registry: FakeRegistry, events: FakeEvents) -> EvaluationDeps:
    return EvaluationDeps(
        artifacts=artifacts, registry=registry, events=events, settings=evaluation_settings(), now=lambda: FIXED_NOW
    )


@pytest.fixture
def registry_deps(registry: FakeRegistry, events: FakeEvents) -> RegistryDeps:
    return RegistryDeps(registry=registry, events=events, now=lambda: FIXED_NOW)
