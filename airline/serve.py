"""Serve the predictor's real Lambda handler over local HTTP (HTTP -> API Gateway REST proxy event -> handler).

`serve_api` / `make_server` are reused by the local cloud for the deployed-style predictor
(pointer in SSM, bundles in the models bucket); `airline serve` / `airline predict` use a local bundle folder.
"""

import base64
import json
import logging
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlsplit

import typer

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]

MAX_HTTP_BODY_BYTES = 10 * 1024 * 1024  # API Gateway REST payload limit
#: Pending connections the kernel queues before accept (socketserver's default, 5, reset bursts of clients).
LISTEN_BACKLOG = 1024
#: Seconds a connection may stall (request line, headers, body, or idle keep-alive) before it is closed.
READ_TIMEOUT_SECONDS = 15.0


@dataclass
class LocalLambdaContext:
    """The parts of a Lambda context that Powertools reads."""

    function_name: str = "airline-predictor-local"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:000000000000:function:airline-predictor-local"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/airline-predictor-local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def http_to_rest_event(
    method: str, raw_path: str, headers: dict[str, str], body: bytes, source_ip: str = "127.0.0.1", stage: str = "local"
) -> dict[str, Any]:
    """The API Gateway REST (v1) proxy event AWS would send for this HTTP request."""
    url = urlsplit(raw_path)
    query = parse_qsl(url.query, keep_blank_values=True)
    multi_query: dict[str, list[str]] = {}
    for key, value in query:
        multi_query.setdefault(key, []).append(value)
    try:
        text, is_base64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_base64 = base64.b64encode(body).decode("ascii"), True
    request_id = str(uuid.uuid4())
    return {
        "resource": url.path,
        "path": url.path,
        "httpMethod": method,
        "headers": headers or None,
        "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": url.path,
            "httpMethod": method,
            "path": f"/{stage}{url.path}",
            "stage": stage,
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTimeEpoch": int(time.time() * 1000),
            "protocol": "HTTP/1.1",
            "identity": {"sourceIp": source_ip, "userAgent": headers.get("User-Agent")},
            "accountId": "000000000000",
            "apiId": "local",
        },
        "body": text if body else None,
        "isBase64Encoded": is_base64,
    }


class BodyRefusedError(Exception):
    """A request body this server will not read (API Gateway answers these itself before any Lambda runs)."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message

    def reply(self) -> tuple[int, dict[str, str], bytes]:
        body = json.dumps({"error": self.error, "message": self.message, "details": []}).encode()
        return self.status, {"Content-Type": "application/json"}, body


def make_request_handler(
    handler_fn: LambdaHandler, read_timeout: float = READ_TIMEOUT_SECONDS
) -> type[BaseHTTPRequestHandler]:
    """An http.server request handler class that answers every request through `handler_fn`.

    Calls are serialised: like one Lambda container, the handler (and the Powertools resolver's
    per-request state) sees one event at a time; sockets and HTTP parsing stay concurrent.
    A connection stalled for `read_timeout` seconds is closed (408 when a body stalls), so it never holds a thread.
    """
    invoke_lock = threading.Lock()

    class ProxyRequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as API Gateway clients use it
        server_version = "airline-serve"
        disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stalls
        timeout = read_timeout  # socket timeout for every read; BaseHTTPRequestHandler closes on TimeoutError

        def _read_body(self) -> bytes:
            """The request body; raises BodyRefusedError for one this server will not read."""
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                raise BodyRefusedError(411, "length_required", "send the body with a Content-Length, not chunked")
            raw = (self.headers.get("Content-Length") or "0").strip()
            if not raw.isdigit():
                raise BodyRefusedError(400, "bad_request", f"invalid Content-Length {raw[:40]!r}")
            if len(raw) > 12 or int(raw) > MAX_HTTP_BODY_BYTES:
                raise BodyRefusedError(413, "payload_too_large", "over 10 MB")
            length = int(raw)
            try:
                body = self.rfile.read(length) if length else b""
            except TimeoutError as exc:
                raise BodyRefusedError(408, "request_timeout", f"body stalled for {read_timeout:g} s") from exc
            if len(body) < length:
                raise BodyRefusedError(400, "bad_request", "connection closed before the whole body arrived")
            return body

        def _proxy(self) -> None:
            try:
                body = self._read_body()
            except BodyRefusedError as refused:
                self._reply(*refused.reply())
                self.close_connection = True
                return
            event = http_to_rest_event(
                self.command, self.path, dict(self.headers.items()), body, self.client_address[0]
            )
            with invoke_lock:
                result = handler_fn(event, LocalLambdaContext())
            payload = result.get("body") or ""
            data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode("utf-8")
            headers = dict(result.get("headers") or {})
            for key, values in (result.get("multiValueHeaders") or {}).items():
                headers.setdefault(key, ", ".join(values))
            self._reply(int(result.get("statusCode", 502)), headers, data)

        def _reply(self, status: int, headers: dict[str, str], data: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                if key.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = do_TRACE = _proxy

        def __getattr__(self, name: str) -> Any:  # any other method goes to the handler too (it answers 404)
            if name.startswith("do_"):
                return self._proxy
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the handler logs
            pass

    return ProxyRequestHandler


class LocalHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a listen backlog for bursts of clients (the stdlib default of 5 resets them)."""

    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (reset, broken pipe) is routine; anything else is printed as before."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(
    handler_fn: LambdaHandler, host: str = "127.0.0.1", port: int = 0, read_timeout: float = READ_TIMEOUT_SECONDS
) -> ThreadingHTTPServer:
    """A threaded HTTP server (not yet serving) bound to host:port (0 = a free port) in front of `handler_fn`."""
    return LocalHTTPServer((host, port), make_request_handler(handler_fn, read_timeout))


def serve_api(handler_fn: LambdaHandler, host: str, port: int) -> None:
    """Serve `handler_fn` until interrupted (Ctrl-C)."""
    server = make_server(handler_fn, host, port)
    print(
        f"serving the predict API on http://{host}:{server.server_address[1]} (POST /predict, /predict/batch, GET /health)",
        file=sys.stderr,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def start_in_thread(
    handler_fn: LambdaHandler, host: str = "127.0.0.1", port: int = 0, read_timeout: float = READ_TIMEOUT_SECONDS
) -> ThreadingHTTPServer:
    """Start a server in a daemon thread; stop it with `server.shutdown(); server.server_close()`."""
    server = make_server(handler_fn, host, port, read_timeout)
    threading.Thread(target=server.serve_forever, name="airline-serve", daemon=True).start()
    return server


def local_predict_handler(model_dir: Path) -> LambdaHandler:
    """The real predict Lambda handler, configured to serve the bundle in `model_dir`."""
    if not (model_dir / "manifest.json").is_file():
        raise FileNotFoundError(f"{model_dir} is not a model bundle folder (no manifest.json); train one first")
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "predictor")
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    from predictor.handlers import api
    from predictor.handlers.wiring import build_model_holder
    from predictor.models.settings import PredictorSettings

    api.install_model_holder(build_model_holder(PredictorSettings(model_dir=model_dir.resolve())))
    _log_to_stderr(api.logger.registered_handler)
    return api.lambda_handler  # type: ignore[no-any-return]


class _CurrentStderr:
    """A stream writing to whatever sys.stderr is when a record is logged (CLI runners swap it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _log_to_stderr(handler: logging.Handler | None) -> None:
    """Keep the handler's (JSON) logs off stdout, which carries the responses of `airline predict`."""
    if isinstance(handler, logging.StreamHandler) and not isinstance(handler.stream, _CurrentStderr):
        handler.setStream(_CurrentStderr())


def predict_stdin(model_dir: Path, text: str) -> tuple[int, str]:
    """Answer one request JSON (-> /predict) or a JSON list (-> /predict/batch) through the real handler.

    Returns (HTTP status, response JSON text).
    """
    handler = local_predict_handler(model_dir)
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):  # the handler answers these bodies with 400 itself
        parsed = None
    if isinstance(parsed, list):
        path, body = "/predict/batch", json.dumps({"flights": parsed})
    else:
        path, body = "/predict", text
    event = http_to_rest_event("POST", path, {"Content-Type": "application/json"}, body.encode("utf-8"))
    result = handler(event, LocalLambdaContext())
    return int(result["statusCode"]), str(result.get("body") or "")


# ---- `airline predict` / `airline serve` (registered in airline/cli.py) ---------------------------


def predict_command(
    model_dir: Annotated[
        Path, typer.Option("--model-dir", help="Model bundle folder (manifest.json, model.npz, ...).")
    ],
) -> None:
    """Read one request JSON (or a JSON list of them) on stdin and print the response JSON.

    Errors: the error response still goes to stdout, and one line saying what went wrong to stderr (exit 1).
    """
    try:
        status, body = predict_stdin(model_dir, sys.stdin.read())
    except (OSError, UnicodeDecodeError) as exc:  # no bundle folder, unreadable stdin
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    print(body)
    if status != 200:
        typer.secho(f"error: HTTP {status}: {_error_summary(body)}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def _error_summary(body: str) -> str:
    """One line from an ErrorResponse body: its message and each field's complaint."""
    try:
        error = json.loads(body)
        details = "; ".join(f"{d['field']}: {d['message']}" for d in error.get("details") or [])
        return f"{error['error']}: {error['message']}" + (f" ({details})" if details else "")
    except (ValueError, KeyError, TypeError, AttributeError):
        return body.replace("\n", " ")[:200]


def serve_command(
    model_dir: Annotated[Path, typer.Option("--model-dir", help="Model bundle folder to serve.")],
    port: Annotated[int, typer.Option("--port", help="TCP port (0 = a free port).")] = 8080,
    host: Annotated[str, typer.Option("--host", help="Interface to bind (loopback by default).")] = "127.0.0.1",
) -> None:
    """Serve POST /predict, POST /predict/batch, GET /health through the real Lambda handler."""
    serve_api(local_predict_handler(model_dir), host, port)
