"""Schemathesis against the generated OpenAPI document, through the real handler: never a 5xx."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from airline_shared.api import BatchPredictResponse, ErrorResponse, HealthResponse, PredictResponse
from hypothesis import HealthCheck, given, settings
from predictor.handlers import api
from predictor_testkit import write_bundle
from schemathesis import GenerationMode

from airline.serve import LocalLambdaContext, http_to_rest_event

SCHEMA = schemathesis.openapi.from_dict(json.loads(api.openapi_document()))
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
CASES = [
    ("/predict", "POST", PredictResponse, POSITIVE),
    ("/predict", "POST", PredictResponse, NEGATIVE),
    ("/predict/batch", "POST", BatchPredictResponse, POSITIVE),
    ("/predict/batch", "POST", BatchPredictResponse, NEGATIVE),
    ("/health", "GET", HealthResponse, POSITIVE),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    directory = write_bundle(tmp_path_factory.mktemp("bundle"), "v1")
    holder_env = pytest.MonkeyPatch()
    holder_env.setenv("MODEL_DIR", str(Path(directory)))
    api.install_model_holder(None)
    yield
    api.install_model_holder(None)
    holder_env.undo()


def _answer(case: Any) -> tuple[int, dict[str, Any]]:
    body = (
        b""
        if case.body is None or not isinstance(case.body, (dict, list, str, int, float, bool))
        else json.dumps(case.body).encode()
    )
    headers = {k: str(v) for k, v in (case.headers or {}).items()} | {
        "Content-Type": case.media_type or "application/json"
    }
    event = http_to_rest_event(case.method, case.formatted_path, headers, body)
    context: Any = LocalLambdaContext()
    result = api.lambda_handler(event, context)
    return result["statusCode"], json.loads(result["body"])


@pytest.mark.parametrize(("path", "method", "ok_model", "mode"), CASES)
def test_generated_requests_never_get_a_server_error(
    served: None, path: str, method: str, ok_model: Any, mode: GenerationMode
) -> None:
    # Given requests generated from the OpenAPI document (valid ones, or ones breaking the schema)
    operation = SCHEMA[path][method]

    @settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        # When answered by the handler, Then never a 5xx, and the body matches the documented model
        status, body = _answer(case)
        assert status < 500, body
        if status == 200:
            ok_model.model_validate(body)
        else:
            ErrorResponse.model_validate(body)

    check()
