"""Settings read from the environment once, as typed models (without pydantic-settings)."""

from pathlib import Path

import pytest
from predictor.models.settings import ObservabilitySettings, PredictorSettings, ReloadSettings
from pydantic import ValidationError


def test_upper_case_variables_fill_the_fields() -> None:
    # Given the deployed function's variables
    environ = {"MODEL_POINTER_PARAM": "/airline/dev/predictor/current-model", "POINTER_MAX_AGE_SECONDS": "5"}
    # When the settings are read
    settings = PredictorSettings.from_environ(environ)
    # Then each variable lands in its typed field
    assert settings.model_pointer_param == "/airline/dev/predictor/current-model"
    assert settings.pointer_max_age_seconds == 5
    assert settings.model_dir is None


def test_variable_names_match_case_insensitively() -> None:
    settings = PredictorSettings.from_environ({"model_dir": "/tmp/bundle"})
    assert settings.model_dir == Path("/tmp/bundle")


def test_the_process_environment_is_the_default_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL_DIR", "/srv/bundle")
    assert PredictorSettings.from_environ().model_dir == Path("/srv/bundle")


def test_unrelated_variables_are_ignored() -> None:
    settings = PredictorSettings.from_environ({"MODEL_DIR": "/b", "PATH": "/usr/bin", "HOME": "/root"})
    assert settings.model_dir == Path("/b")


def test_no_model_source_is_refused_with_both_options_named() -> None:
    with pytest.raises(ValidationError, match=r"MODEL_DIR.*MODEL_POINTER_PARAM"):
        PredictorSettings.from_environ({})


def test_a_non_integer_pointer_age_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="pointer_max_age_seconds"):
        PredictorSettings.from_environ({"MODEL_DIR": "/b", "POINTER_MAX_AGE_SECONDS": "soon"})


def test_reload_settings_require_the_bucket_the_pointer_and_the_registry() -> None:
    with pytest.raises(ValidationError) as caught:
        ReloadSettings.from_environ({})
    assert {e["loc"][0] for e in caught.value.errors()} == {"models_bucket", "model_pointer_param", "registry_table"}


def test_metrics_namespace_defaults_when_unset() -> None:
    assert ObservabilitySettings.from_environ({}).powertools_metrics_namespace == "AirlinePipeline"
    assert ObservabilitySettings.from_environ({"POWERTOOLS_METRICS_NAMESPACE": "X"}).powertools_metrics_namespace == "X"


def test_settings_are_frozen() -> None:
    settings = PredictorSettings.from_environ({"MODEL_DIR": "/b"})
    with pytest.raises(ValidationError):
        settings.model_dir = Path("/elsewhere")  # type: ignore[misc]
