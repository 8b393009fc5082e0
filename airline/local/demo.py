"""`airline demo`: the whole chain on one machine, stage by stage, ending in a prediction over HTTP.

sample data -> raw bucket -> ingest -> etl-trigger -> Glue stand-in (DuckDB) -> FeaturesReady -> trainer
-> SageMaker stand-in (training entry point) -> quality gate -> ModelUpdated -> predictor reload -> POST /predict
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airline_shared.api import SEED_REQUEST_EXAMPLE
from airline_shared.events import EventDetail, FeaturesReady, ModelUpdated
from etl_job.s3io import parse_s3_uri
from rich.console import Console
from rich.table import Table

from airline.local import runtime
from airline.local.pipeline import LocalPipeline, PipelineError, start_local_pipeline
from airline.local.runtime import Invocation

STAGE_TIMEOUT_SECONDS = 900


@dataclass
class DemoResult:
    features: FeaturesReady
    model: ModelUpdated
    prediction: dict[str, Any]
    run_summary: dict[str, Any]
    model_report: Path
    efficiency_report: Path | None
    seconds: float
    stage_seconds: dict[str, float] = field(default_factory=dict)


def ensure_sample_data(
    data_dir: Path, flights: int, seed: int, console: Console, months: int = 12
) -> tuple[Path, Path]:
    """Generate the demo's ASA file + carriers.csv once per (flights, seed, months); reuse it afterwards.

    The months end in December 2007, as the seed's file does.
    """
    from airline.sample_data import generate_sample_data, start_date_ending_2007

    marker = data_dir / "sample.json"
    wanted = {"flights": flights, "seed": seed, "format": "asa", "months": months}
    data_file, carriers = data_dir / "airline.csv.shuffle", data_dir / "carriers.csv"
    if marker.exists() and json.loads(marker.read_text()) == wanted and data_file.exists() and carriers.exists():
        console.print(f"  reusing {data_file} ({flights:,} flights over {months} months, seed {seed})")
        return data_file, carriers
    start = start_date_ending_2007(months)
    summary = generate_sample_data(data_dir, flights, "asa", seed, start, months, progress=console.is_terminal)
    marker.write_text(json.dumps(wanted))
    console.print(
        f"  wrote {summary.rows:,} flights ({summary.start_date} to {summary.end_date}) in {summary.seconds:.1f}s"
    )
    return summary.data_files[0], summary.carriers_file


def stage_timeout(flights: int) -> float:
    """Seconds a stage may take: 15 minutes, more for the seed's 123.5M flights (about 20,000 flights a second)."""
    return max(STAGE_TIMEOUT_SECONDS, flights / 20_000)


def wait_for_event(
    pipeline: LocalPipeline,
    success: str,
    failures: tuple[str, ...],
    stage: str,
    after: int = 0,
    timeout: float = STAGE_TIMEOUT_SECONDS,
) -> EventDetail:
    """Deliver events until `success` is seen (its after-th+1 occurrence); raise on a failure event or error."""

    def settled() -> bool:
        if pipeline.observer.count(success) > after:
            return True
        if any(pipeline.observer.count(f) > 0 for f in failures):
            return True
        return bool(pipeline.runtime.errors)

    if not pipeline.run_until(settled, timeout):
        raise PipelineError(f"{stage}: no {success} event within {timeout:.0f}s")
    for failure in failures:
        detail = pipeline.observer.latest(failure)
        if detail is not None:
            raise PipelineError(f"{stage} failed: {failure} {detail.model_dump_json()}")
    if pipeline.runtime.errors:
        raise PipelineError(f"{stage} failed: {pipeline.runtime.errors[0]}")
    event = pipeline.observer.latest(success)
    assert event is not None
    return event


def wait_for_serving(pipeline: LocalPipeline, version: str, timeout: float = 120) -> dict[str, Any]:
    """Poll GET /health (while delivering events) until the predictor serves `version`."""
    health: dict[str, Any] = {}

    def serving() -> bool:
        nonlocal health
        _status, health = pipeline.http("GET", "/health")
        return health.get("model_version") == version

    if not pipeline.run_until(serving, timeout):
        raise PipelineError(f"predictor reload: still serving {health.get('model_version')!r}, expected {version!r}")
    return health


def read_run_summary(pipeline: LocalPipeline, features: FeaturesReady) -> dict[str, Any]:
    bucket, prefix = parse_s3_uri(features.features_uri)
    body = pipeline.cloud.client("s3").get_object(Bucket=bucket, Key=f"{prefix.rstrip('/')}/_run_summary.json")["Body"]
    return dict(json.loads(body.read()))


def download_prefix(pipeline: LocalPipeline, uri: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    runtime.download_prefix(pipeline.cloud.client("s3"), uri, dest)
    return dest


def run_demo(
    flights: int,
    workdir: Path,
    seed: int = 7,
    console: Console | None = None,
    baseline: bool = True,
    months: int = 12,
) -> DemoResult:
    """Run the whole chain; raises PipelineError naming the failing stage."""
    console = console or Console()
    started = time.monotonic()
    stage_seconds: dict[str, float] = {}

    def stage(name: str, action: Callable[[], Any]) -> Any:
        t0 = time.monotonic()
        with console.status(f"[bold]{name}[/]…"):
            result = action()
        stage_seconds[name] = time.monotonic() - t0
        console.print(f"[green]✓[/] {name} [dim]({stage_seconds[name]:.1f}s)[/]")
        return result

    def log_invocation(inv: Invocation) -> None:
        mark = "[green]•[/]" if inv.ok else "[red]✗[/]"
        console.print(
            f"    {mark} {inv.function} [dim]{inv.records} record(s), {inv.seconds:.1f}s[/]"
            + (f" [red]{inv.error}[/]" if inv.error else "")
        )

    def say(line: str) -> None:
        console.print(f"    [dim]{time.strftime('%H:%M:%S')}[/] {line}")

    timeout = stage_timeout(flights)
    console.rule("[bold]Airline efficiency pipeline: local demo")
    data_file, carriers = stage(
        "Sample data", lambda: ensure_sample_data(workdir / "data", flights, seed, console, months)
    )
    t0 = time.monotonic()
    with console.status("[bold]Starting the local cloud[/] (moto server + every service's resources)…"):
        context = start_local_pipeline(
            workdir / "cloud",
            on_invocation=log_invocation,
            env_overrides={"POWERTOOLS_LOG_LEVEL": "ERROR"},
            on_progress=say,
        )
        pipeline = context.__enter__()
    stage_seconds["Local cloud"] = time.monotonic() - t0
    console.print(
        f"[green]✓[/] Local cloud at {pipeline.cloud.endpoint_url}, API at {pipeline.api_url} [dim]({stage_seconds['Local cloud']:.1f}s)[/]"
    )
    try:
        stage("Upload to raw bucket", lambda: [pipeline.upload(data_file, progress=say), pipeline.upload(carriers)])
        stage(
            "Ingest",
            lambda: wait_for_event(pipeline, "RawFileAccepted", ("RawFileRejected",), "ingest", 1, timeout),
        )
        features = stage(
            "ETL (Glue stand-in, DuckDB)",
            lambda: wait_for_event(pipeline, "FeaturesReady", ("EtlFailed",), "etl", timeout=timeout),
        )
        model = stage(
            "Training + quality gate (SageMaker stand-in)",
            lambda: wait_for_event(
                pipeline, "ModelUpdated", ("ModelRejected", "TrainingFailed"), "training", timeout=timeout
            ),
        )
        assert isinstance(features, FeaturesReady) and isinstance(model, ModelUpdated)
        stage("Predictor reload", lambda: wait_for_serving(pipeline, model.version))
        status, prediction = stage(
            "Prediction over HTTP", lambda: pipeline.http("POST", "/predict", SEED_REQUEST_EXAMPLE)
        )
        if status != 200:
            raise PipelineError(f"prediction: POST /predict answered {status}: {prediction}")
        run_summary = read_run_summary(pipeline, features)
        bundle = download_prefix(pipeline, model.bundle_uri, workdir / "model")
        features_dir = download_prefix(pipeline, features.features_uri, workdir / "features")
    finally:
        context.__exit__(None, None, None)
    efficiency_report = stage(
        "Efficiency report", lambda: _efficiency_report(features_dir, workdir / "efficiency-report.html")
    )
    baseline_metrics = (
        stage(
            f"Seed baseline (seed-rf, fit on {BASELINE_FIT_ROWS:,} rows of the same months)",
            lambda: _seed_baseline(features_dir, workdir),
        )
        if baseline
        else None
    )
    result = DemoResult(
        features=features,
        model=model,
        prediction=prediction,
        run_summary=run_summary,
        model_report=bundle / "report.html",
        efficiency_report=efficiency_report,
        seconds=time.monotonic() - started,
        stage_seconds=stage_seconds,
    )
    print_summary(console, result, baseline_metrics)
    return result


def _efficiency_report(features_dir: Path, out: Path) -> Path:
    from airline.analysis.report import build_report

    return build_report(features_dir, out)


#: The seed's RandomForest takes ~10x longer than hgb to fit; the demo fits it on a sample of the same fit months
#: (`airline bench train` compares both on every row).
BASELINE_FIT_ROWS = 100_000


def _seed_baseline(features_dir: Path, workdir: Path) -> dict[str, float]:
    from training.config import TrainingConfig
    from training.pipeline import train_bundle

    config = TrainingConfig(model="seed-rf", max_fit_rows=BASELINE_FIT_ROWS)
    manifest = train_bundle(features_dir, workdir / "seed-rf-model", config=config)
    return manifest.metrics.headline()


def print_summary(console: Console, result: DemoResult, baseline: dict[str, float] | None) -> None:
    summary = result.run_summary
    console.rule("[bold]Run summary")
    console.print(
        f"rows read {summary.get('rows_read', 0):,}  kept {summary.get('rows_kept', 0):,}  "
        f"written {summary.get('rows_written', 0):,}  partitions {len(result.features.partitions)}"
    )
    dropped = summary.get("dropped") or summary.get("rows_dropped") or {}
    if dropped:
        console.print("dropped: " + ", ".join(f"{k} {v:,}" for k, v in sorted(dropped.items())))
    table = Table(title=f"Model {result.model.version} vs the seed baseline (same evaluation months)")
    table.add_column("metric")
    table.add_column("this model (hgb)", justify="right")
    if baseline:
        table.add_column(f"seed-rf (fit sample {BASELINE_FIT_ROWS:,})", justify="right")
    for name in ("roc_auc", "pr_auc", "brier", "positive_rate", "train_seconds", "train_rows", "eval_rows"):
        if name in result.model.metrics:
            row = [name, _fmt(result.model.metrics[name])]
            if baseline:
                row.append(_fmt(baseline.get(name)))
            table.add_row(*row)
    console.print(table)
    console.print(f"model report: [bold]{result.model_report.resolve()}[/]")
    if result.efficiency_report:
        console.print(f"efficiency report: [bold]{result.efficiency_report.resolve()}[/]")
    console.rule("[bold]POST /predict (the seed's documented request)")
    console.print_json(json.dumps(SEED_REQUEST_EXAMPLE))
    console.print_json(json.dumps(result.prediction))
    console.print(f"[bold green]Done in {result.seconds:.0f}s[/]")


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.4f}"
