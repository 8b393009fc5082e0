"""Schemathesis over the predictor's OpenAPI document, against the real handler behind `airline serve`.

Every operation, valid and schema-breaking requests (schemathesis' examples, coverage and fuzzing phases),
each sent over loopback HTTP with the API key deployed clients send. Bounded: MAX_EXAMPLES per operation
and generation mode in the fuzzing phase, derandomized, well under a minute. Never a 5xx, and every answer
is one the document declares (status, content type, body schema).
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from predictor.handlers import api
from predictor_testkit import write_bundle
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from airline.serve import local_predict_handler, start_in_thread

MAX_EXAMPLES = 150
API_KEY = "local-test-key"  # API Gateway checks the key before the handler runs; clients always send it

SCHEMA = schemathesis.openapi.from_dict(json.loads(api.openapi_document()))
SCHEMA.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES, deterministic=True
)
SCHEMA.config.update(request_timeout=10)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

answered: dict[int, int] = {}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`airline serve` on loopback, serving a valid bundle through the real Lambda handler."""
    server = start_in_thread(local_predict_handler(write_bundle(tmp_path_factory.mktemp("bundle"), "v1")))
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    api.install_model_holder(None)


@SCHEMA.parametrize()
@settings(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)
def test_generated_requests_never_get_a_server_error(case: Any, base_url: str) -> None:
    # Given a request generated from the OpenAPI document (valid, or breaking it on purpose)
    # When it is sent over HTTP with the API key
    response = case.call(base_url=base_url, headers={"x-api-key": API_KEY})
    answered[response.status_code] = answered.get(response.status_code, 0) + 1
    # Then never a 5xx, and the answer is one the document declares
    case.validate_response(response, checks=CHECKS)


def test_the_fuzz_run_reached_the_model_and_the_validators() -> None:
    # The run above must have exercised both sides: answers (200) and refusals (4xx), and nothing else
    if not answered:
        pytest.skip("run together with test_generated_requests_never_get_a_server_error")
    assert answered.get(200, 0) > 0 and sum(v for k, v in answered.items() if 400 <= k < 500) > 0, answered
    assert all(status < 500 for status in answered), answered
