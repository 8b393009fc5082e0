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
