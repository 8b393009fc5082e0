"""`airline bench predict`: serving speed and size of the predictor, against the seed's pickled RandomForest.

Measures (JSON + markdown into <out>/predict.json, <out>/predict.md):
- in-process single flight: request JSON -> pydantic request -> features -> numpy model -> response JSON,
  p50/p99 (also through the whole Lambda handler with an API Gateway event);
- the seed-style scikit-learn RandomForest(200 trees, depth 15) pickled, loaded, one-row predict_proba,
  trained on the same features in the same run (ratio);
- cold start: a fresh Python subprocess importing the handler, loading the bundle, answering one request;
- package size of the predict function: requirements.txt installed for the Lambda platform (arm64,
  python3.12) + the code, without boto3/botocore (the runtime ships them); no sklearn/scipy/pyarrow;
- a loopback load test against `airline serve` with wrk (bounded in time), throughput and p50/p99.
"""

import json
import os
import pickle
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Annotated, Any

import typer

REPO = Path(__file__).resolve().parents[2]
PREDICTOR_DIR = REPO / "services" / "predictor"
FORBIDDEN_PACKAGES = ("sklearn", "scipy", "pyarrow")
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath")  # in the Lambda python3.12 runtime
LAMBDA_PIP_PLATFORM = [
    "--platform", "manylinux_2_28_aarch64", "--platform", "manylinux2014_aarch64",
    "--only-binary=:all:", "--python-version", "3.12", "--implementation", "cp",
]  # fmt: skip
SEED_BODY = json.dumps(
    {
        "flight_date": "2025-11-04",
        "carrier": "DL",
        "origin": "ATL",
        "destination": "LAX",
        "depdelay": 25,
        "prevflightarrdelay": 30,
        "turnaroundminutes": 45,
        "routeavgarrdelay": 15.5,
        "carrieravgarrdelay": 12.3,
    }
)


def _percentiles(seconds: list[float]) -> dict[str, float]:
    import numpy as np

    ms = np.array(seconds) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 4),
        "p99_ms": round(float(np.percentile(ms, 99)), 4),
        "mean_ms": round(float(ms.mean()), 4),
        "n": len(seconds),
    }


def ensure_bundle(out: Path, flights: int) -> tuple[Path, Path | None]:
    """A real hgb bundle trained by `train_bundle` on sample data (cached), and its features folder."""
    from training.pipeline import train_bundle

    from airline.bench.train import prepare_features

    features = prepare_features(out, flights, 12, 7)
    bundle = out / "data" / f"predict-bundle-{flights}"
    if not (bundle / "manifest.json").exists():
        typer.echo(f"training the hgb bundle -> {bundle}")
        train_bundle(features, bundle, "hgb")
    return bundle, features


def measure_in_process(bundle: Path, repeats: int) -> dict[str, Any]:
    """Single-flight latency: parsing + features + model + response, and the full handler path."""
    from airline_shared.api import PredictRequest
    from predictor.adapters.bundles import read_local_bundle
    from predictor.logic.bundle import load_model
    from predictor.logic.predict import predict_flights

    from airline.serve import LocalLambdaContext, http_to_rest_event, local_predict_handler

    model = load_model(read_local_bundle(bundle), source=str(bundle))

    def once() -> str:
        request = PredictRequest.model_validate_json(SEED_BODY)
        return predict_flights([request], model)[0].model_dump_json()

    timings = _time(once, repeats)
    handler = local_predict_handler(bundle)
    event = http_to_rest_event("POST", "/predict", {"Content-Type": "application/json"}, SEED_BODY.encode())
    context = LocalLambdaContext()
    handler_timings = _time(lambda: handler(event, context), repeats)
    return {
        "model_version": model.version,
        "trees": model.ensemble.n_trees,
        "features": len(model.feature_names),
        "logic": _percentiles(timings),
        "handler": _percentiles(handler_timings),
    }


def _time(fn: Any, repeats: int, warmup: int = 200) -> list[float]:
    for _ in range(min(warmup, repeats)):
        fn()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return timings


def measure_seed_forest(features: Path | None, repeats: int) -> dict[str, Any]:
    """The seed's RandomForest(200, depth 15) via scikit-learn, pickled and loaded, one-row predict_proba."""
    import numpy as np
    from airline_shared.features import SEED_MODEL_FEATURES
    from training.config import TrainingConfig
    from training.fit import fit_seed_rf

    if features is not None:
        from training.data import read_features

        frame = read_features(features)
        X, y = frame.matrix(SEED_MODEL_FEATURES), frame.label
        source = f"the bundle's features ({frame.rows} rows)"
    else:
        rng = np.random.default_rng(0)
        X = rng.normal(10, 30, size=(100_000, len(SEED_MODEL_FEATURES)))
        y = (X[:, 1] + rng.normal(0, 20, size=X.shape[0])) > 30
        source = "synthetic rows (no features folder given)"
    started = time.perf_counter()
    forest = fit_seed_rf(X, y, TrainingConfig(model="seed-rf"))
    fit_seconds = time.perf_counter() - started
    raw = pickle.dumps(forest)
    loaded = pickle.loads(raw)  # the seed's serving path: a pickle loaded by the Lambda
    row = np.nan_to_num(X[:1], nan=0.0)
    timings = _time(lambda: loaded.predict_proba(row), repeats, warmup=5)
    return {
        "trained_on": source,
        "fit_seconds": round(fit_seconds, 1),
        "pickle_mb": round(len(raw) / 1e6, 1),
        "predict_proba_one_row": _percentiles(timings),
    }


COLD_START_SCRIPT = """
import json, sys, time
class Context:
    function_name = "cold-start"; memory_limit_in_mb = 512; aws_request_id = "1"
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:cold-start"
t0 = time.perf_counter()
from predictor.handlers import api  # what Lambda imports (MODEL_DIR set in the environment)
t1 = time.perf_counter()
event = json.loads(sys.argv[2])
result = api.lambda_handler(event, Context())
t2 = time.perf_counter()
assert result["statusCode"] == 200, result
print(json.dumps({"imports_s": t1 - t0, "load_and_first_answer_s": t2 - t1, "total_s": t2 - t0}))
"""


def measure_cold_start(bundle: Path, runs: int = 5) -> dict[str, Any]:
    """Fresh interpreter each run: imports + bundle load + first answer (median over runs)."""
    samples, walls = [], []
    from airline.serve import http_to_rest_event

    env = os.environ | {
        "POWERTOOLS_TRACE_DISABLED": "1",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "MODEL_DIR": str(bundle.resolve()),
    }
    event = http_to_rest_event("POST", "/predict", {"Content-Type": "application/json"}, SEED_BODY.encode())
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", COLD_START_SCRIPT, str(bundle), json.dumps(event)],
            capture_output=True, text=True, check=True, env=env,
        )  # fmt: skip
        walls.append(time.perf_counter() - started)
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        "runs": runs,
        "imports_ms": round(statistics.median(s["imports_s"] for s in samples) * 1000, 1),
        "load_and_first_answer_ms": round(statistics.median(s["load_and_first_answer_s"] for s in samples) * 1000, 1),
        "total_ms": round(statistics.median(s["total_s"] for s in samples) * 1000, 1),
        "process_wall_ms_incl_interpreter": round(statistics.median(walls) * 1000, 1),
    }


def _tree_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def measure_package_size() -> dict[str, Any]:
    """Unzipped size of the predict function: Lambda-platform wheels of requirements.txt + code."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "pkg"
        cmd = [sys.executable, "-m", "pip", "install", "-q", "--target", str(target), *LAMBDA_PIP_PLATFORM]
        cmd += ["-r", str(PREDICTOR_DIR / "requirements.txt")]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return {"error": f"pip install for the Lambda platform failed: {done.stderr.strip()[-500:]}"}
        for name in RUNTIME_PROVIDED:
            for path in target.glob(f"{name}*"):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        top = sorted(
            ((p.name, _tree_mb(p) if p.is_dir() else p.stat().st_size / 1e6) for p in target.iterdir()),
            key=lambda x: -x[1],
        )
        dependencies = _tree_mb(target)
        code = _tree_mb(PREDICTOR_DIR / "predictor") + _tree_mb(REPO / "shared" / "airline_shared")
        forbidden = sorted(n for n in FORBIDDEN_PACKAGES if (target / n).exists())
    return {
        "platform": "python3.12 manylinux aarch64 (arm64), as in serverless.yml",
        "dependencies_mb": round(dependencies, 1),
        "code_mb": round(code, 2),
        "total_unzipped_mb": round(dependencies + code, 1),
        "excluded_runtime_provided": list(RUNTIME_PROVIDED),
        "largest": {name: round(mb, 1) for name, mb in top[:6]},
        "forbidden_present": forbidden,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


WRK_SCRIPT = """wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
"""


def measure_load(bundle: Path, seconds: int, connections: int) -> dict[str, Any]:
    """wrk against `airline serve` on loopback for `seconds` (the real CLI, the real handler)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"error": "wrk not found: apt-get install -y wrk"}
    port = _free_port()
    env = os.environ | {"POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "-m", "airline.cli", "serve", "--model-dir", str(bundle), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/health", server)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT.format(body=SEED_BODY))
        cmd = [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}/predict",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 30)
        Path(script.name).unlink()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return parse_wrk(done.stdout) | {"tool": "wrk 4", "connections": connections, "threads": 2, "seconds": seconds}


def _wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"airline serve exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"airline serve did not become healthy at {url}")


def _to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(output: str) -> dict[str, Any]:
    """Throughput, p50/p99 and error counts from `wrk --latency` output."""
    percentiles = {p: _to_ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M)}
    requests = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "requests_per_second": float(rps.group(1)) if rps else 0.0,
        "p50_ms": percentiles.get("50"),
        "p99_ms": percentiles.get("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(x) for x in socket_errors.groups()) if socket_errors else 0,
    }


def render_markdown(result: dict[str, Any]) -> str:
    """The figures as a markdown section (for the README)."""
    ip, seed, cold, size, load = (result[k] for k in ("in_process", "seed_forest", "cold_start", "package", "load"))
    lines = [
        "## Predictor benchmark (`airline bench predict`)",
        "",
        f"Machine: {result['machine']}; 1-minute load average {result['load_average_1m']['before']} before, "
        f"{result['load_average_1m']['after']} after (other jobs on the machine inflate p99 and cold start). "
        f"Bundle {ip['model_version']} ({ip['trees']} trees, {ip['features']} features).",
        "",
        "| measure | p50 | p99 |",
        "|---|---|---|",
        f"| single flight in process (parse + features + model + response) | {ip['logic']['p50_ms']} ms | {ip['logic']['p99_ms']} ms |",
        f"| single flight through the Lambda handler (API Gateway event) | {ip['handler']['p50_ms']} ms | {ip['handler']['p99_ms']} ms |",
        f"| seed RandomForest(200, depth 15), pickled, one-row predict_proba | {seed['predict_proba_one_row']['p50_ms']} ms | {seed['predict_proba_one_row']['p99_ms']} ms |",
        "",
        f"Speed-up vs the seed model (p50): **{result['speedup_p50']}x**.",
        "",
        f"Cold start (fresh process, median of {cold['runs']}): imports {cold['imports_ms']} ms + bundle load and first answer "
        f"{cold['load_and_first_answer_ms']} ms = **{cold['total_ms']} ms** (process wall time incl. interpreter {cold['process_wall_ms_incl_interpreter']} ms).",
        "",
    ]
    if "error" in size:
        lines.append(f"Package size: not measured ({size['error']}).")
    else:
        lines.append(
            f"Predict function package (unzipped, {size['platform']}): **{size['total_unzipped_mb']} MB** "
            f"(dependencies {size['dependencies_mb']} MB + code {size['code_mb']} MB; boto3/botocore come with the runtime). "
            f"Largest: {', '.join(f'{k} {v} MB' for k, v in size['largest'].items())}. "
            f"scikit-learn/scipy/pyarrow present: {size['forbidden_present'] or 'none'}."
        )
    lines.append("")
    if "error" in load:
        lines.append(f"Load test: not run ({load['error']}).")
    else:
        lines.append(
            f"Load test ({load['tool']}, {load['threads']} threads, {load['connections']} connections, {load['seconds']} s, loopback, "
            f"`airline serve`): **{load['requests_per_second']:.0f} req/s**, p50 {load['p50_ms']} ms, p99 {load['p99_ms']} ms, "
            f"{load['requests']} requests, non-2xx {load['non_2xx']}, socket errors {load['socket_errors']}."
        )
    lines += ["", f"Reproduce: `{result['command']}`", ""]
    return "\n".join(lines)


def bench_predict_command(
    out: Annotated[Path, typer.Option("--out", help="Where data, JSON and markdown go.")] = Path("bench-output"),
    model_dir: Annotated[
        Path | None, typer.Option("--model-dir", help="Bundle to serve (default: train one on sample data).")
    ] = None,
    flights: Annotated[
        int, typer.Option("--flights", help="Sample flights for the trained bundle and the seed forest.")
    ] = 200_000,
    repeats: Annotated[int, typer.Option("--repeats", help="Timed single-flight predictions.")] = 5000,
    seed_repeats: Annotated[int, typer.Option("--seed-repeats", help="Timed seed-forest predictions.")] = 100,
    load_seconds: Annotated[int, typer.Option("--load-seconds", help="Duration of the wrk load test.")] = 10,
    connections: Annotated[int, typer.Option("--connections", help="wrk connections.")] = 8,
) -> None:
    """Predictor speed and size: in-process latency vs the seed forest, cold start, package size, load test."""
    out.mkdir(parents=True, exist_ok=True)
    command = (
        "airline bench predict" + ("" if model_dir is None else f" --model-dir {model_dir}") + f" --flights {flights}"
    )
    features: Path | None = None
    if model_dir is None:
        model_dir, features = ensure_bundle(out, flights)
    load_before = os.getloadavg()[0]
    typer.echo("cold start ...")  # first, before the seed forest's multi-core fit heats the machine
    cold = measure_cold_start(model_dir)
    typer.echo("in-process latency ...")
    in_process = measure_in_process(model_dir, repeats)
    typer.echo("seed RandomForest ...")
    seed = measure_seed_forest(features, seed_repeats)
    typer.echo("package size ...")
    size = measure_package_size()
    typer.echo(f"load test ({load_seconds} s) ...")
    load = measure_load(model_dir, load_seconds, connections)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "command": command,
        "in_process": in_process,
        "seed_forest": seed,
        "speedup_p50": round(seed["predict_proba_one_row"]["p50_ms"] / in_process["logic"]["p50_ms"], 1),
        "cold_start": cold,
        "package": size,
        "load": load,
    }
    (out / "predict.json").write_text(json.dumps(result, indent=2))
    markdown = render_markdown(result)
    (out / "predict.md").write_text(markdown)
    typer.echo(markdown)
