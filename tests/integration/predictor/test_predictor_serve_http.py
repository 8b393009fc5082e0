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
