"""The predict function's cold start: what a fresh process imports, and the model loaded during Lambda's init."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from predictor.handlers import api
from predictor.logic.serving import ModelHolder
from predictor_testkit import write_bundle

from airline.bench.predict import measure_cold_start

#: After importing the handler module (what Lambda's init does), report what the holder holds.
AFTER_IMPORT = """
import json
from predictor.handlers import api
holder = api._holder
print(json.dumps({"holder_built": holder is not None,
                  "loaded_version": None if holder is None or holder.loaded is None else holder.loaded.version}))
"""


def _import_in_fresh_process(environment: dict[str, str]) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("MODEL_DIR", "MODEL_POINTER_PARAM")} | environment
    done = subprocess.run([sys.executable, "-c", AFTER_IMPORT], capture_output=True, text=True, check=True, env=env)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_local_bundle_cold_start_skips_boto3_the_settings_library_and_openapi_models(tmp_path: Path) -> None:
    # Given a local bundle
    bundle = write_bundle(tmp_path / "bundle", "v1")
    # When a fresh interpreter imports the handler and answers the seed request (asserting 200)
    figures = measure_cold_start(bundle, runs=1)
    # Then the heavy modules only the S3/SSM path or the OpenAPI document need were never imported
    assert figures["imported"] == {"pydantic_settings": False, "boto3": False, "openapi_models": False}


def test_inside_lambda_the_model_is_loaded_during_init(tmp_path: Path) -> None:
    # Given the Lambda runtime's marker and a bundle
    bundle = write_bundle(tmp_path / "bundle", "v1")
    # When the handler module is imported (Lambda's init phase)
    after = _import_in_fresh_process({"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand", "MODEL_DIR": str(bundle)})
    # Then the model is already loaded, before any request
    assert after == {"holder_built": True, "loaded_version": "v1"}


def test_outside_lambda_nothing_is_loaded_at_import(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle", "v1")
    after = _import_in_fresh_process({"MODEL_DIR": str(bundle)})
    assert after == {"holder_built": False, "loaded_version": None}


def test_a_misconfigured_function_still_initialises(tmp_path: Path) -> None:
    # Given Lambda without MODEL_DIR or MODEL_POINTER_PARAM
    # When the handler module is imported, Then the init does not fail (the request path reports the error)
    after = _import_in_fresh_process({"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"})
    assert after == {"holder_built": False, "loaded_version": None}


def test_warm_up_without_a_promoted_model_does_not_raise() -> None:
    # Given a holder whose pointer names no model yet (the deploy-time placeholder)
    api.install_model_holder(ModelHolder(lambda: None, lambda uri: {}))
    try:
        # When it is warmed up
        api.warm_up()
        # Then nothing is loaded and nothing raised; requests will answer 503
        assert api.model_holder().loaded is None
    finally:
        api.install_model_holder(None)
