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
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer

REPO = Path(__file__).resolve().parents[2]
PREDICTOR_DIR = REPO / "services" / "predictor"
FORBIDDEN_PACKAGES = ("sklearn", "scipy", "pyarrow")
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath")  # in the Lambda python3.12 runtime


@cache
def seed_body() -> str:
    """The seed's documented request as JSON (the contract's own example)."""
    from airline_shared.api import SEED_REQUEST_EXAMPLE

    return json.dumps(SEED_REQUEST_EXAMPLE)


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

    from airline.serve import LocalLambdaContext, local_predict_handler

    model = load_model(read_local_bundle(bundle), source=str(bundle))

    def once() -> str:
        request = PredictRequest.model_validate_json(seed_body())
        return predict_flights([request], model)[0].model_dump_json()

    timings = _time(once, repeats)
    handler = local_predict_handler(bundle)
    event = _seed_event()
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
import os
sys.path[0:0] = [p for p in sys.argv[1].split(os.pathsep) if p]  # /var/task (and /var/runtime) on Lambda
class Context:
    function_name = "cold-start"; memory_limit_in_mb = 512; aws_request_id = "1"
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:cold-start"
t0, c0 = time.perf_counter(), time.process_time()
from predictor.handlers import api  # what Lambda imports (MODEL_DIR set in the environment)
t1 = time.perf_counter()
event = json.loads(sys.argv[2])
result = api.lambda_handler(event, Context())
t2, c2 = time.perf_counter(), time.process_time()
assert result["statusCode"] == 200, result
print(json.dumps({"imports_s": t1 - t0, "load_and_first_answer_s": t2 - t1, "total_s": t2 - t0, "cpu_s": c2 - c0,
                  "python": sys.version.split()[0], "pydantic_settings": "pydantic_settings" in sys.modules,
                  "boto3": "boto3" in sys.modules, "openapi_models":
                  "aws_lambda_powertools.event_handler.openapi.models" in sys.modules}))
"""
#: Lambda sets these for every function; the rest of the environment comes from serverless.yml.
LAMBDA_RUNTIME_ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_LAMBDA_FUNCTION_NAME": "airline-bench-predict",
    "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",  # the handler loads its model during init
    "LANG": "C.UTF-8",
}


def predict_function_environment() -> dict[str, str]:
    """The predict function's literal environment from serverless.yml (stage dev), e.g. OPENBLAS_NUM_THREADS."""
    from airline.local.serverless_config import load_service

    (function,) = [f for f in load_service("predictor", "dev").functions if f.handler.endswith("api.lambda_handler")]
    return {k: v for k, v in function.environment.items() if isinstance(v, str)}


PRECOMPILE_SCRIPT = PREDICTOR_DIR / "predictor_packaging" / "precompile.py"


def _seed_event() -> dict[str, Any]:
    from airline.serve import http_to_rest_event

    return http_to_rest_event("POST", "/predict", {"Content-Type": "application/json"}, seed_body().encode())


def _run_cold_starts(command: list[str], env: dict[str, str], paths: list[Path], runs: int) -> dict[str, Any]:
    """`runs` fresh interpreters answering the seed request (`paths` first on sys.path); medians of their timers."""
    samples, walls = [], []
    event = json.dumps(_seed_event())
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "-c", COLD_START_SCRIPT, os.pathsep.join(map(str, paths)), event],
            capture_output=True, text=True, check=False, env=env, cwd=paths[0] if paths else None,
        )  # fmt: skip
        walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"cold-start run failed ({' '.join(command)}): {done.stderr.strip()[-2000:]}")
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))

    def median_ms(key: str) -> float:
        return round(statistics.median(s[key] for s in samples) * 1000, 1)

    return {
        "runs": runs,
        "python": samples[0]["python"],
        "imports_ms": median_ms("imports_s"),
        "load_and_first_answer_ms": median_ms("load_and_first_answer_s"),
        "total_ms": median_ms("total_s"),
        "total_ms_min_max": [round(min(s["total_s"] for s in samples) * 1000, 1),
                             round(max(s["total_s"] for s in samples) * 1000, 1)],
        "cpu_ms": median_ms("cpu_s"),
        "process_wall_ms_incl_interpreter": round(statistics.median(walls) * 1000, 1),
        "imported": {k: samples[0][k] for k in ("pydantic_settings", "boto3", "openapi_models")},
    }  # fmt: skip


def measure_cold_start(bundle: Path, runs: int = 7) -> dict[str, Any]:
    """Dev venv: a fresh `python` of this environment (every dev package installed) per run."""
    env = os.environ | {"POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_LOG_LEVEL": "WARNING", "MODEL_DIR": str(bundle)}
    return _run_cold_starts([sys.executable], env, [], runs)


def default_lambda_python() -> str:
    """python3.12 (the Lambda runtime's version, as packaging finds it) when one runs here, else this interpreter."""
    from airline.deploy import find_lambda_python

    return find_lambda_python(os.environ) or sys.executable


def _interpreter(python: str) -> tuple[str, str]:
    probe = "import sys, platform; print(f'{sys.version_info[0]}.{sys.version_info[1]}', platform.machine())"
    done = subprocess.run([python, "-I", "-c", probe], capture_output=True, text=True, check=True)
    version, machine = done.stdout.split()
    return version, machine


def _pip_install_command(target: Path, version: str, machine: str) -> list[str]:
    """`pip install` into `target` of wheels for CPython `version` on manylinux `machine`, without .pyc."""
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-compile", "--target", str(target)]
    pip += ["--platform", f"manylinux_2_28_{machine}", "--platform", f"manylinux2014_{machine}"]
    return [*pip, "--only-binary=:all:", "--python-version", version, "--implementation", "cp"]


def build_lambda_like_package(target: Path, python: str) -> str:
    """requirements.txt (wheels for `python`'s version and machine, no .pyc) + predictor + airline_shared.

    The layout of the deployed artifact (/var/task), minus the runtime's boto3. Returns a description.
    """
    version, machine = _interpreter(python)
    pip = _pip_install_command(target, version, machine)
    subprocess.run([*pip, "-r", str(PREDICTOR_DIR / "requirements.txt")], capture_output=True, text=True, check=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PREDICTOR_DIR / "predictor", target / "predictor", ignore=ignore)
    shutil.copytree(REPO / "shared" / "airline_shared", target / "airline_shared", ignore=ignore)
    shutil.copy(PREDICTOR_DIR / "openapi.json", target / "openapi.json")
    return f"Python {version} {machine}"


def measure_isolated_cold_start(bundle: Path, python: str, runs: int = 7) -> dict[str, Any]:
    """The cold start as Lambda sees it: only the function's package on sys.path (`python -I -S -B`) and
    the function's environment from serverless.yml.

    Three ways: from source (no .pyc; /var/task is read-only, so every cold start compiles every module);
    with the unchecked-hash bytecode the packaging adds (predictor_packaging/precompile.py, same script),
    from MODEL_DIR; and the deployed path, the SSM pointer + S3 bundle (boto3 as the runtime ships it)
    against a moto server on loopback (real AWS round trips are slower).
    """
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")} | LAMBDA_RUNTIME_ENV | predict_function_environment()
    env["MODEL_DIR"] = str(bundle)  # a local bundle instead of the SSM pointer (MODEL_DIR wins over it)
    command = [python, "-I", "-S", "-B"]
    with tempfile.TemporaryDirectory() as tmp:
        task, runtime = Path(tmp) / "task", Path(tmp) / "runtime"
        platform_name = build_lambda_like_package(task, python)
        source_only = _run_cold_starts(command, env, [task], runs)
        _, version, machine = platform_name.split()
        precompile = [python, "-I", str(PRECOMPILE_SCRIPT), "--runtime", f"python{version}"]
        report = json.loads(subprocess.run([*precompile, str(task)], capture_output=True, text=True, check=True).stdout)
        precompiled = _run_cold_starts(command, env, [task], runs)
        package_mb = _tree_mb(task)
        # boto3 as the Lambda runtime provides it (/var/runtime), for the SSM + S3 path
        subprocess.run(
            [*_pip_install_command(runtime, version, machine), "boto3"], capture_output=True, text=True, check=True
        )
        subprocess.run([*precompile, str(runtime)], capture_output=True, text=True, check=True)
        pointer_path = _run_pointer_path_cold_starts(bundle, command, env, [task, runtime], runs)
    return {
        "platform": platform_name,
        "interpreter": python,
        "package_mb_with_bytecode": round(package_mb, 1),
        "bytecode_mb": round(report["added_bytes"] / 1e6, 1),
        "precompiled": precompiled,
        "source_only": source_only,
        "pointer_path": pointer_path,
    }


def _run_pointer_path_cold_starts(
    bundle: Path, command: list[str], env: dict[str, str], paths: list[Path], runs: int
) -> dict[str, Any]:
    """Cold starts that read the SSM pointer and download the bundle from S3 (moto server on loopback)."""
    import boto3

    from airline.local.cloud import LOCAL_CREDENTIALS, moto_server

    bucket, parameter = "airline-bench-models", "/airline/bench/predictor/current-model"
    version = json.loads((bundle / "manifest.json").read_text())["version"]
    with moto_server() as endpoint:  # points this process's boto3 clients at it
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=bucket)
        for path in sorted(p for p in bundle.iterdir() if p.is_file()):
            s3.put_object(Bucket=bucket, Key=f"bundles/{version}/{path.name}", Body=path.read_bytes())
        pointer = {"version": version, "bundle_uri": f"s3://{bucket}/bundles/{version}/"}
        boto3.client("ssm").put_parameter(Name=parameter, Value=json.dumps(pointer), Type="String", Overwrite=True)
        deployed_env = {k: v for k, v in env.items() if k != "MODEL_DIR"} | LOCAL_CREDENTIALS
        deployed_env |= {"AWS_ENDPOINT_URL": endpoint, "MODEL_POINTER_PARAM": parameter, "MODELS_BUCKET": bucket}
        return _run_cold_starts(command, deployed_env, paths, runs)


def _tree_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def measure_package_size(python: str | None = None) -> dict[str, Any]:
    """Unzipped size of the predict function: Lambda-platform wheels of requirements.txt + code + bytecode.

    The bytecode is what the packaging adds (predictor_packaging/precompile.py), compiled by `python` when it is
    the runtime's Python 3.12 (bytecode does not depend on the CPU); otherwise it is left out and said so.
    """
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "pkg"
        cmd = [*_pip_install_command(target, "3.12", "aarch64"), "-r", str(PREDICTOR_DIR / "requirements.txt")]
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
        forbidden = sorted(n for n in FORBIDDEN_PACKAGES if (target / n).exists())
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(PREDICTOR_DIR / "predictor", target / "predictor", ignore=ignore)
        shutil.copytree(REPO / "shared" / "airline_shared", target / "airline_shared", ignore=ignore)
        code = _tree_mb(target) - dependencies
        bytecode: float | None = None
        if python is not None and _interpreter(python)[0] == "3.12":
            run = [python, "-I", str(PRECOMPILE_SCRIPT), "--runtime", "python3.12", str(target)]
            bytecode = (
                json.loads(subprocess.run(run, capture_output=True, text=True, check=True).stdout)["added_bytes"] / 1e6
            )
    return {
        "platform": "python3.12 manylinux aarch64 (arm64), as in serverless.yml",
        "dependencies_mb": round(dependencies, 1),
        "code_mb": round(code, 2),
        "bytecode_mb": None if bytecode is None else round(bytecode, 1),
        "total_unzipped_mb": round(dependencies + code + (bytecode or 0.0), 1),
        "excluded_runtime_provided": list(RUNTIME_PROVIDED),
        "largest": {name: round(mb, 1) for name, mb in top[:6]},
        "forbidden_present": forbidden,
    }


WRK_SCRIPT = """wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
"""


def measure_load(bundle: Path, seconds: int, connections: int) -> dict[str, Any]:
    """wrk against `airline serve` on loopback for `seconds` (the real CLI, the real handler)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"error": "wrk not found: apt-get install -y wrk"}
    from airline.local.cloud import free_port

    port = free_port()
    env = os.environ | {"POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "-m", "airline.cli", "serve", "--model-dir", str(bundle), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/health", server)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT.format(body=seed_body()))
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


def _span(figures: dict[str, Any]) -> str:
    low, high = figures["total_ms_min_max"]
    return f"{low}-{high}"


def _cold_start_lines(cold: dict[str, Any]) -> list[str]:
    lines = [
        "Cold start = init (importing the handler; inside Lambda it also loads the model) + the first request, "
        "a fresh process per run, median (min-max):",
        "",
    ]
    iso = cold.get("lambda_like")
    if iso is not None and "error" in iso:
        lines.append(f"- Lambda-like package: not measured ({iso['error']}).")
    elif iso is not None:
        pre, src, ptr = iso["precompiled"], iso["source_only"], iso.get("pointer_path")
        lines += [
            f"- **Lambda-like package** (requirements.txt for {iso['platform']} + predictor + airline_shared, nothing "
            f"else on sys.path, `python -I -S -B`, the function's environment from serverless.yml, MODEL_DIR bundle), "
            f"with the bytecode the packaging adds: **{pre['total_ms']} ms** ({_span(pre)}; init {pre['imports_ms']} ms "
            f"+ first request {pre['load_and_first_answer_ms']} ms; CPU {pre['cpu_ms']} ms; process wall time incl. "
            f"interpreter start {pre['process_wall_ms_incl_interpreter']} ms; {pre['runs']} runs).",
        ]
        if ptr is not None:
            lines.append(
                f"- Same package, deployed path (SSM pointer + S3 bundle through boto3, against a moto server on "
                f"loopback; real AWS round trips add more): {ptr['total_ms']} ms ({_span(ptr)}; init "
                f"{ptr['imports_ms']} ms + first request {ptr['load_and_first_answer_ms']} ms)."
            )
        lines.append(
            f"- Same package from source (no .pyc, what `slim` alone ships; /var/task is read-only so every cold "
            f"start compiles): {src['total_ms']} ms ({_span(src)}; init {src['imports_ms']} ms)."
        )
    dev = cold.get("dev_venv")
    if dev is not None:
        lines.append(
            f"- Dev venv (every dev package installed, Python {dev['python']}, model loaded on the first request): "
            f"{dev['total_ms']} ms ({_span(dev)}; imports {dev['imports_ms']} ms)."
        )
    return [*lines, ""]


def render_markdown(result: dict[str, Any]) -> str:
    """The measured figures as a markdown section (for the README); parts not measured are left out."""
    ip, seed, cold, size, load = (result.get(k) for k in ("in_process", "seed_forest", "cold_start", "package", "load"))
    lines = [
        "## Predictor benchmark (`airline bench predict`)",
        "",
        f"Machine: {result['machine']}; 1-minute load average {result['load_average_1m']['before']} before, "
        f"{result['load_average_1m']['after']} after (other jobs on the machine inflate p99 and cold start)."
        + (f" Bundle {ip['model_version']} ({ip['trees']} trees, {ip['features']} features)." if ip else ""),
        "",
    ]
    if ip or seed:
        lines += ["| measure | p50 | p99 |", "|---|---|---|"]
    if ip:
        lines += [
            f"| single flight in process (parse + features + model + response) | {ip['logic']['p50_ms']} ms | {ip['logic']['p99_ms']} ms |",
            f"| single flight through the Lambda handler (API Gateway event) | {ip['handler']['p50_ms']} ms | {ip['handler']['p99_ms']} ms |",
        ]
    if seed:
        lines.append(
            f"| seed RandomForest(200, depth 15), pickled, one-row predict_proba | {seed['predict_proba_one_row']['p50_ms']} ms | {seed['predict_proba_one_row']['p99_ms']} ms |"
        )
    if ip or seed:
        lines.append("")
    if "speedup_p50" in result:
        lines += [f"Speed-up vs the seed model (p50): **{result['speedup_p50']}x**.", ""]
    if cold:
        lines += _cold_start_lines(cold)
    if size is not None and "error" in size:
        lines += [f"Package size: not measured ({size['error']}).", ""]
    elif size is not None:
        lines += [
            f"Predict function package (unzipped, {size['platform']}): **{size['total_unzipped_mb']} MB** "
            f"(dependencies {size['dependencies_mb']} MB + code {size['code_mb']} MB + "
            + (
                f"python3.12 bytecode {size['bytecode_mb']} MB added by the packaging"
                if size.get("bytecode_mb") is not None
                else "bytecode not counted: it needs a python3.12 here (--lambda-python)"
            )
            + "; boto3/botocore come with the runtime). "
            f"Largest: {', '.join(f'{k} {v} MB' for k, v in size['largest'].items())}. "
            f"scikit-learn/scipy/pyarrow present: {size['forbidden_present'] or 'none'}.",
            "",
        ]
    if load is not None and "error" in load:
        lines += [f"Load test: not run ({load['error']}).", ""]
    elif load is not None:
        lines += [
            f"Load test ({load['tool']}, {load['threads']} threads, {load['connections']} connections, {load['seconds']} s, loopback, "
            f"`airline serve`): **{load['requests_per_second']:.0f} req/s**, p50 {load['p50_ms']} ms, p99 {load['p99_ms']} ms, "
            f"{load['requests']} requests, non-2xx {load['non_2xx']}, socket errors {load['socket_errors']}.",
            "",
        ]
    lines += [f"Reproduce: `{result['command']}`", ""]
    return "\n".join(lines)


PARTS = ("in-process", "seed", "cold-start", "package", "load")


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
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help=f"Measure only these parts (repeatable): {', '.join(PARTS)}. Default: all."),
    ] = None,
    cold_runs: Annotated[int, typer.Option("--cold-runs", min=1, help="Fresh processes per cold-start figure.")] = 7,
    lambda_python: Annotated[
        str | None,
        typer.Option(
            "--lambda-python",
            help="Interpreter for the Lambda-like cold start (default: python3.12 when it runs here, else this one).",
        ),
    ] = None,
) -> None:
    """Predictor speed and size: in-process latency vs the seed forest, cold start, package size, load test."""
    parts = set(only or PARTS)
    if unknown := parts - set(PARTS):
        raise typer.BadParameter(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    out.mkdir(parents=True, exist_ok=True)
    command = (
        "airline bench predict" + ("" if model_dir is None else f" --model-dir {model_dir}") + f" --flights {flights}"
    )
    command += "".join(f" --only {p}" for p in PARTS if only and p in parts)
    command += f" --lambda-python {lambda_python}" if lambda_python else ""
    features: Path | None = None
    if model_dir is None:
        model_dir, features = ensure_bundle(out, flights)
    model_dir = model_dir.resolve()
    load_before = os.getloadavg()[0]
    result: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    }
    if "cold-start" in parts:  # first, before the seed forest's multi-core fit heats the machine
        python = lambda_python or default_lambda_python()
        typer.echo(f"cold start: Lambda-like package ({python}) ...")
        try:
            lambda_like: dict[str, Any] = measure_isolated_cold_start(model_dir, python, cold_runs)
        except (subprocess.CalledProcessError, RuntimeError) as exc:
            detail = getattr(exc, "stderr", None) or str(exc)
            lambda_like = {"error": f"{type(exc).__name__}: {str(detail).strip()[-500:]}"}
        typer.echo("cold start: dev venv ...")
        result["cold_start"] = {"lambda_like": lambda_like, "dev_venv": measure_cold_start(model_dir, cold_runs)}
    if "in-process" in parts:
        typer.echo("in-process latency ...")
        result["in_process"] = measure_in_process(model_dir, repeats)
    if "seed" in parts:
        typer.echo("seed RandomForest ...")
        result["seed_forest"] = measure_seed_forest(features, seed_repeats)
    if "in_process" in result and "seed_forest" in result:
        seed_p50 = result["seed_forest"]["predict_proba_one_row"]["p50_ms"]
        result["speedup_p50"] = round(seed_p50 / result["in_process"]["logic"]["p50_ms"], 1)
    if "package" in parts:
        typer.echo("package size ...")
        result["package"] = measure_package_size(lambda_python or default_lambda_python())
    if "load" in parts:
        typer.echo(f"load test ({load_seconds} s) ...")
        result["load"] = measure_load(model_dir, load_seconds, connections)
    result["load_average_1m"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
    result["command"] = command
    name = "predict" if parts == set(PARTS) else "predict-" + "-".join(p for p in PARTS if p in parts)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2))
    markdown = render_markdown(result)
    (out / f"{name}.md").write_text(markdown)
    typer.echo(markdown)
