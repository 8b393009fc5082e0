"""The predict API (API Gateway REST proxy -> Powertools resolver with pydantic validation).

Routes: POST /predict, POST /predict/batch, GET /health, GET /openapi.json.
Every typed error is mapped to an ErrorResponse in the exception handlers below (one place).
"""

import json
from functools import cache
from http import HTTPStatus
from typing import Any

from airline_shared.api import (
    MAX_BATCH_FLIGHTS,
    MAX_BODY_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_JSON_DEPTH,
    BatchPredictRequest,
    BatchPredictResponse,
    ErrorResponse,
    FieldError,
    HealthResponse,
    PredictRequest,
    PredictResponse,
)
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from predictor.handlers.wiring import build_model_holder
from predictor.logic.predict import predict_flights
from predictor.logic.serving import ModelHolder, health_report
from predictor.models.domain import InvalidJsonError, ModelUnavailableError, PayloadTooLargeError
from predictor.models.settings import LambdaRuntimeSettings, PredictorSettings

API_TITLE = "Airline delay-cascade predictor"
API_VERSION = "1.0.0"

logger = Logger()
# No Powertools Tracer here: it imports the X-Ray SDK (+ botocore) at cold start, ~25% of the import time;
# the function still has Lambda active tracing (serverless.yml), so invocations are traced.


def decode_json_body(body: str) -> Any:
    """Parse a request body within bounds: size, nesting depth, integer length, no NaN/Infinity.

    Raises PayloadTooLargeError (413), InvalidJsonError (400), json.JSONDecodeError (400 via the validator).
    """
    if len(body) > MAX_BODY_BYTES or len(body.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES:
        raise PayloadTooLargeError(
            f"request body exceeds {MAX_BODY_BYTES} bytes; send at most {MAX_BATCH_FLIGHTS} flights per batch"
        )
    try:
        value = json.loads(body, parse_int=_bounded_int, parse_constant=_no_constant)
    except RecursionError as exc:  # far deeper than MAX_JSON_DEPTH: refused before any Python recursion
        raise InvalidJsonError(f"request JSON nests deeper than {MAX_JSON_DEPTH} levels") from exc
    if body.count("[") + body.count("{") > MAX_JSON_DEPTH and _depth_exceeds(value, MAX_JSON_DEPTH):
        raise InvalidJsonError(f"request JSON nests deeper than {MAX_JSON_DEPTH} levels")
    return value


def _bounded_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise InvalidJsonError(f"an integer in the request has more than {MAX_INTEGER_DIGITS} digits")
    return int(literal)


def _no_constant(name: str) -> Any:
    raise InvalidJsonError(f"{name} is not a JSON number")


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than `limit` (iterative: a hostile body cannot exhaust the stack)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


app = APIGatewayRestResolver(enable_validation=True, json_body_deserializer=decode_json_body)

_holder: ModelHolder | None = None


def model_holder() -> ModelHolder:
    """The process-wide model holder, built from PredictorSettings on first use."""
    global _holder
    if _holder is None:
        _holder = build_model_holder(PredictorSettings.from_environ())
    return _holder


def warm_up() -> None:
    """Build the holder and load the serving model now, not on the first request.

    Called at import inside Lambda: the init phase runs with burst CPU, the first invocation with the
    function's share (512 MB ~ 0.3 vCPU), so boto3, the pointer read and the bundle load are cheaper here.
    Never raises: without a model, or misconfigured, the request path answers (503 / 500) as it always does.
    """
    try:
        model_holder().current()
    except ModelUnavailableError as exc:
        logger.warning("no model at init; requests answer 503 until one is promoted", extra={"reason": str(exc)})
    except Exception:  # an optimisation must not fail the init; the first request reports the same error
        logger.exception("model warm-up at init failed; the first request retries")


def install_model_holder(holder: ModelHolder | None) -> None:
    """Use `holder` from now on (None: rebuild from settings on next use); for tests and local runtimes."""
    global _holder
    _holder = holder


def _error(status: HTTPStatus, body: ErrorResponse) -> Response[str]:
    return Response(status_code=int(status), content_type=content_types.APPLICATION_JSON, body=body.model_dump_json())


def _documented(ok: type[BaseModel], *statuses: HTTPStatus) -> dict[int, Any]:
    """OpenAPI responses: the success model plus an ErrorResponse per error status."""
    responses: dict[int, Any] = {200: {"description": "OK", "content": {"application/json": {"model": ok}}}}
    for status in statuses:
        responses[int(status)] = {
            "description": status.phrase,
            "content": {"application/json": {"model": ErrorResponse}},
        }
    return responses


_BODY_ERRORS = (HTTPStatus.BAD_REQUEST, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.UNPROCESSABLE_ENTITY)


@app.post(
    "/predict",
    summary="Cascade risk of one flight",
    responses=_documented(PredictResponse, *_BODY_ERRORS, HTTPStatus.SERVICE_UNAVAILABLE),
    operation_id="predict",
)
def predict(request: PredictRequest) -> PredictResponse:
    return predict_flights([request], model_holder().current())[0]


@app.post(
    "/predict/batch",
    summary=f"Cascade risk of up to {MAX_BATCH_FLIGHTS} flights, all answered by one model version",
    responses=_documented(BatchPredictResponse, *_BODY_ERRORS, HTTPStatus.SERVICE_UNAVAILABLE),
    operation_id="predictBatch",
)
def predict_batch(batch: BatchPredictRequest) -> BatchPredictResponse:
    model = model_holder().current()
    return BatchPredictResponse(predictions=predict_flights(batch.flights, model), model_version=model.version)


_HEALTH_RESPONSES: dict[int, Any] = {
    200: {
        "description": "A model serves, or none is promoted yet",
        "content": {"application/json": {"model": HealthResponse}},
    },
    503: {"description": "The promoted bundle was refused", "content": {"application/json": {"model": HealthResponse}}},
}


@app.get("/health", summary="Serving model version and load time", responses=_HEALTH_RESPONSES, operation_id="health")
def health() -> Response[str]:
    report = health_report(model_holder())
    status = HTTPStatus.SERVICE_UNAVAILABLE if report.status == "refused" else HTTPStatus.OK
    return Response(status_code=int(status), content_type=content_types.APPLICATION_JSON, body=report.model_dump_json())


@cache
def openapi_document() -> str:
    """The OpenAPI 3.1 document generated from the pydantic models (also shipped as services/predictor/openapi.json)."""
    # imported here: Powertools' OpenAPI models (~60 ms to build) are needed only to render the document
    from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn

    return app.get_openapi_json_schema(
        title=API_TITLE,
        version=API_VERSION,
        description="Delay-cascade risk for a flight about to leave. Every call needs an API key (x-api-key).",
        security_schemes={"apiKey": APIKey(name="x-api-key", in_=APIKeyIn.header)},
        security=[{"apiKey": []}],
    )


@app.get("/openapi.json", include_in_schema=False)
def openapi() -> Response[str]:
    return Response(status_code=HTTPStatus.OK, content_type=content_types.APPLICATION_JSON, body=openapi_document())


# ---- the one place where errors become responses ------------------------------------------------


@app.exception_handler(RequestValidationError)
def _invalid_request(exc: RequestValidationError) -> Response[str]:
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return _error(
            HTTPStatus.BAD_REQUEST, ErrorResponse(error="invalid_json", message="request body is not valid JSON")
        )
    details = [
        FieldError(field=".".join(str(p) for p in e.get("loc", ())[1:]) or "body", message=str(e.get("msg", "invalid")))
        for e in errors
    ]
    message = f"{len(details)} invalid field(s): " + ", ".join(d.field for d in details)
    return _error(
        HTTPStatus.UNPROCESSABLE_ENTITY, ErrorResponse(error="validation_error", message=message, details=details)
    )


@app.exception_handler(UnicodeDecodeError)
def _not_utf8(exc: UnicodeDecodeError) -> Response[str]:
    message = "request body is not UTF-8 encoded JSON"
    return _error(HTTPStatus.BAD_REQUEST, ErrorResponse(error="invalid_json", message=message))


@app.exception_handler(InvalidJsonError)
def _invalid_json(exc: InvalidJsonError) -> Response[str]:
    return _error(HTTPStatus.BAD_REQUEST, ErrorResponse(error="invalid_json", message=str(exc)))


@app.exception_handler(PayloadTooLargeError)
def _too_large(exc: PayloadTooLargeError) -> Response[str]:
    return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, ErrorResponse(error="payload_too_large", message=str(exc)))


@app.exception_handler(ModelUnavailableError)
def _no_model(exc: ModelUnavailableError) -> Response[str]:
    return _error(HTTPStatus.SERVICE_UNAVAILABLE, ErrorResponse(error="no_model", message=str(exc)))


@app.not_found
def _not_found(exc: NotFoundError) -> Response[str]:
    path = app.current_event.path
    message = f"no route {app.current_event.http_method} {path}; see GET /openapi.json"
    return _error(HTTPStatus.NOT_FOUND, ErrorResponse(error="not_found", message=message))


@app.exception_handler(Exception)
def _unexpected(exc: Exception) -> Response[str]:
    logger.exception("unhandled error while answering a request")
    return _error(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        ErrorResponse(error="internal_error", message="internal error; see the function logs"),
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(as_json_request(event), context)


def as_json_request(event: dict[str, Any]) -> dict[str, Any]:
    """The event with Content-Type dropped, so every body is read as JSON (size-checked, then parsed).

    Callers such as `curl -d` send form content types by default; the API only speaks JSON.
    """
    headers, multi = event.get("headers") or {}, event.get("multiValueHeaders") or {}
    if not any(k.lower() == "content-type" for k in (*headers, *multi)):
        return event
    return event | {
        "headers": {k: v for k, v in headers.items() if k.lower() != "content-type"},
        "multiValueHeaders": {k: v for k, v in multi.items() if k.lower() != "content-type"},
    }


if LambdaRuntimeSettings.from_environ().in_lambda:
    warm_up()

if (
    __name__ == "__main__"
):  # regenerate the shipped document: python -m predictor.handlers.api > services/predictor/openapi.json
    print(openapi_document())
