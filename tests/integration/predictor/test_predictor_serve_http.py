"""`airline serve` / `airline predict`: HTTP -> API Gateway proxy event -> the real handler -> HTTP."""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from predictor.handlers import api
from predictor_testkit import seed_request, write_bundle
from typer.testing import CliRunner

from airline.cli import app
from airline.serve import local_predict_handler, start_in_thread


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    server = start_in_thread(local_predict_handler(write_bundle(tmp_path / "bundle", "v1")))
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    api.install_model_holder(None)


def _post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_seed_request_over_http_returns_200(base_url: str) -> None:
    status, body = _post(f"{base_url}/predict", json.dumps(seed_request()).encode())
    assert status == 200
    assert body["flight_info"]["route"] == "ATL-LAX"
    assert body["model_version"] == "v1"


def test_curl_style_form_content_type_is_still_read_as_json(base_url: str) -> None:
    status, _ = _post(f"{base_url}/predict", json.dumps(seed_request()).encode(), "application/x-www-form-urlencoded")
    assert status == 200


def test_invalid_json_over_http_is_400(base_url: str) -> None:
    assert _post(f"{base_url}/predict", b"{oops")[0] == 400


def test_health_and_unknown_route_over_http(base_url: str) -> None:
    with urllib.request.urlopen(f"{base_url}/health", timeout=10) as response:
        assert json.loads(response.read())["model_version"] == "v1"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{base_url}/nope", timeout=10)
    assert error.value.code == 404


def test_cli_predict_reads_one_request_or_a_list_from_stdin(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle", "v1")
    runner = CliRunner()
    one = runner.invoke(app, ["predict", "--model-dir", str(bundle)], input=json.dumps(seed_request()))
    many = runner.invoke(app, ["predict", "--model-dir", str(bundle)], input=json.dumps([seed_request()] * 3))
    api.install_model_holder(None)
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout)["model_version"] == "v1"
    assert many.exit_code == 0, many.output
    assert len(json.loads(many.stdout)["predictions"]) == 3


def test_cli_predict_exits_non_zero_on_a_bad_request(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle", "v1")
    result = CliRunner().invoke(app, ["predict", "--model-dir", str(bundle)], input='{"carrier": "DL"}')
    api.install_model_holder(None)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "validation_error"


def test_concurrent_http_requests_each_get_their_own_answer(base_url: str) -> None:
    # Given 8 clients sending different flights at the same time
    import threading

    origins = ["ATL", "BOS", "JFK", "SFO", "ORD", "DEN", "SEA", "MIA"]
    wrong: list[str] = []

    def client(origin: str) -> None:
        for _ in range(10):
            status, body = _post(f"{base_url}/predict", json.dumps(seed_request(origin=origin)).encode())
            if status != 200 or body["flight_info"]["route"] != f"{origin}-LAX":
                wrong.append(f"{origin}: {status} {body}")

    threads = [threading.Thread(target=client, args=(o,)) for o in origins]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then every answer is a 200 for the flight that was asked about
    assert wrong == []


def test_handler_sees_one_event_at_a_time_like_a_lambda_container() -> None:
    # Given a handler that records how many calls overlap
    import threading
    import time

    from airline.serve import start_in_thread

    in_flight, peak, lock = [0], [0], threading.Lock()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.01)
        with lock:
            in_flight[0] -= 1
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}

    server = start_in_thread(handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/health"
    # When 6 clients call at once
    clients = [threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=10).read()) for _ in range(6)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    server.shutdown()
    server.server_close()
    # Then the handler never ran two events concurrently
    assert peak[0] == 1


def _burst(port: int, clients: int, deadline_s: float) -> tuple[list[int], list[str]]:
    """`clients` loopback connections opened at the same instant, each sending GET /health once."""
    import http.client
    import threading

    statuses: list[int] = []
    failures: list[str] = []
    start = threading.Barrier(clients)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=deadline_s)
        try:
            start.wait(timeout=deadline_s)
            connection.request("GET", "/health")
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as error:
            failures.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=deadline_s)
    return statuses, failures


def test_200_concurrent_connections_get_no_resets(base_url: str) -> None:
    # Given the server on loopback, When 200 clients connect and ask at the same instant (10 s per client)
    statuses, failures = _burst(int(base_url.rsplit(":", 1)[1]), clients=200, deadline_s=10.0)
    # Then every one is answered, none reset or refused
    assert failures == []
    assert statuses == [200] * 200


def test_a_stalled_body_is_closed_after_the_read_timeout(tmp_path: Path) -> None:
    # Given a server with a 0.5 s read timeout
    import socket

    server = start_in_thread(local_predict_handler(write_bundle(tmp_path / "bundle", "v1")), read_timeout=0.5)
    try:
        # When a client announces 100 bytes of body and sends 10, then stalls
        with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) as sock:
            sock.sendall(b'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"flight_')
            answer = b""
            while chunk := sock.recv(65536):  # the server closing the connection ends the loop
                answer += chunk  # (a server that held it open would make recv time out after 5 s)
        # Then it gets 408 and the connection is closed (no thread held)
        assert answer.startswith(b"HTTP/1.1 408")
    finally:
        server.shutdown()
        server.server_close()
        api.install_model_holder(None)


@pytest.mark.parametrize("length", ["abc", "-5", "99999999999999999999"])
def test_an_invalid_content_length_is_answered_not_dropped(base_url: str, length: str) -> None:
    import socket

    with socket.create_connection(("127.0.0.1", int(base_url.rsplit(":", 1)[1])), timeout=5) as sock:
        sock.sendall(f"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode())
        answer = sock.recv(65536)
    assert answer.startswith((b"HTTP/1.1 400", b"HTTP/1.1 413"))


def test_cli_predict_errors_are_one_line_on_stderr_and_stdout_stays_json(tmp_path: Path) -> None:
    # Given a bundle, and bodies that used to end in a traceback
    bundle = write_bundle(tmp_path / "bundle", "v1")
    deep = "[" * 1000 + "]" * 1000
    huge = json.dumps(seed_request()).replace('"depdelay": 25', '"depdelay": ' + "9" * 5000)
    for body, expected in ((deep, "invalid_json"), (huge, "invalid_json"), ('{"carrier": true}', "validation_error")):
        # When piped to `airline predict`
        result = CliRunner().invoke(app, ["predict", "--model-dir", str(bundle)], input=body)
        api.install_model_holder(None)
        # Then exit 1, stdout holds only the JSON error, stderr one line saying what went wrong
        assert result.exit_code == 1
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert json.loads(result.stdout)["error"] == expected
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("error: HTTP 4")
        assert "Traceback" not in result.output


def test_cli_predict_without_a_bundle_folder_says_so_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["predict", "--model-dir", str(tmp_path / "nowhere")], input="{}")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "not a model bundle folder" in result.stderr


def test_cli_predict_keeps_handler_logs_off_stdout(tmp_path: Path) -> None:
    # Given a bundle whose manifest lists `..`: the handler logs an error while answering 503
    bundle = write_bundle(tmp_path / "bundle", "v1")
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["files"][".."] = "0" * 64
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    result = CliRunner().invoke(app, ["predict", "--model-dir", str(bundle)], input=json.dumps(seed_request()))
    api.install_model_holder(None)
    # Then stdout is exactly the JSON answer, and the log line went to stderr
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "no_model"
    assert "model bundle refused" in result.stderr


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND"])
def test_any_http_method_reaches_the_handler_not_a_501(base_url: str, method: str) -> None:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", int(base_url.rsplit(":", 1)[1]), timeout=5)
    connection.request(method, "/predict")
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert (response.status, body["error"]) == (404, "not_found")
