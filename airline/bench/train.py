"""`airline bench train`: the default model (hgb) vs the seed's RandomForest on the same temporal split.

Also the simple rules the models must beat, on the same eval rows: rank by `depdelay` alone and by
`prevflightarrdelay` alone (missing values lowest), as recorded in the bundle manifest.

Data: `airline sample-data` flights (ASA layout) -> features with the DuckDB ETL (`etl_job.run.run_etl`),
cached under <out>/data/train-<flights>/. Both models are trained with `train_bundle` (the code the
SageMaker entry point runs); training time is fit + isotonic calibration. Also measured: the numpy
evaluator's single-row predict_proba latency of each bundle. Writes <out>/train.json and <out>/train.md.
"""

import json
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

DEFAULT_OUT = Path("bench-output")


def prepare_features(out: Path, flights: int, months: int, seed: int) -> Path:
    """Generate the sample flights and build their features once per (flights, months, seed)."""
    from etl_job.run import run_etl

    from airline.sample_data import generate_sample_data

    root = out / "data" / f"train-{flights}-{months}m-s{seed}"
    features = root / "features"
    if (features / "_run_summary.json").exists():
        typer.echo(f"using cached features {features}")
        return features
    raw = root / "raw"
    typer.echo(f"generating {flights:,} flights over {months} months -> {raw}")
    started = time.perf_counter()
    summary = generate_sample_data(raw, flights, "asa", seed, date(2007, 1, 1), months)
    typer.echo(f"generated in {time.perf_counter() - started:.0f} s; building features with DuckDB")
    run_etl([*summary.data_files, summary.carriers_file], features, engine="duckdb", progress=typer.echo)
    return features


def single_row_latency_ms(model_dir: Path, repeats: int = 2000) -> dict[str, float]:
    """p50 / p99 of one-row predict_proba with the numpy evaluator (bundle loaded once)."""
    import numpy as np
    from airline_shared.scoring import load_ensemble

    model = load_ensemble((model_dir / "model.npz").read_bytes())
    rng = np.random.default_rng(0)
    rows = rng.normal(10, 30, size=(repeats, model.n_features))
    for row in rows[:100]:
        model.predict_proba(row[None, :])
    times = []
    for row in rows:
        started = time.perf_counter()
        model.predict_proba(row[None, :])
        times.append(time.perf_counter() - started)
    ms = np.array(times) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 4), "p99_ms": round(float(np.percentile(ms, 99)), 4)}


def run_model(features: Path, out: Path, kind: str, eval_months: int) -> dict[str, Any]:
    """Train one bundle and collect its headline metrics, timings and size."""
    import os

    from training.pipeline import train_bundle

    model_dir = out / "train-bundles" / kind
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    manifest = train_bundle(features, model_dir, kind, eval_months, progress=typer.echo)  # type: ignore[arg-type]
    wall = time.perf_counter() - started
    return {
        "model": kind,
        "version": manifest.version,
        **manifest.metrics.headline(),
        "wall_seconds": round(wall, 2),
        "load_average_1m": [
            round(load_before, 2),
            round(os.getloadavg()[0], 2),
        ],  # other work on the machine skews timings
        "model_npz_bytes": (model_dir / "model.npz").stat().st_size,
        "train_period": [str(d) for d in manifest.training_data.train_period],
        "eval_period": [str(d) for d in manifest.training_data.eval_period],
        "predict_one_row": single_row_latency_ms(model_dir),
        "baselines": [b.model_dump() for b in manifest.baselines],
    }


def markdown(report: dict[str, Any]) -> str:
    """The side-by-side table for the README."""
    rows = report["results"]
    head = "| model | ROC-AUC | PR-AUC | Brier | train s (fit+calib) | wall s | 1-row p50 ms | model.npz MB |\n|---|---|---|---|---|---|---|---|\n"
    body = "".join(
        f"| {r['model']} | {r['roc_auc']:.4f} | {r['pr_auc']:.4f} | {r['brier']:.5f} | {r['train_seconds']:.1f} | "
        f"{r['wall_seconds']:.1f} | {r['predict_one_row']['p50_ms']:.3f} | {r['model_npz_bytes'] / 1e6:.1f} |\n"
        for r in rows
    )
    first = rows[0]
    body += "".join(
        f"| {b['feature']} alone (simple rule) | {b['roc_auc']:.4f} | {b['pr_auc']:.4f} | - | - | - | - | - |\n"
        for b in first.get("baselines", [])
    )
    return (
        f"# Training benchmark\n\n{report['flights']:,} generated flights ({report['feature_rows']:,} feature rows), "
        f"train {first['train_period'][0]}..{first['train_period'][1]} ({first['train_rows']:,.0f} rows), "
        f"eval {first['eval_period'][0]}..{first['eval_period'][1]} ({first['eval_rows']:,.0f} rows, "
        f"positive rate {first['positive_rate']:.4f}).\n\n{head}{body}\n"
        f"Training speed-up hgb vs seed-rf: **{report['speedup']:.1f}x**. Machine: {report['machine']}. "
        f"Command: `{report['command']}`\n"
    )


def bench_train_command(
    flights: Annotated[int, typer.Option("--flights", min=1000, help="Generated flights.")] = 1_000_000,
    months: Annotated[int, typer.Option("--months", min=4, help="Months simulated.")] = 12,
    eval_months: Annotated[int, typer.Option("--eval-months", min=1, help="Most recent months held out.")] = 2,
    seed: Annotated[int, typer.Option("--seed", help="Sample-data seed.")] = 7,
    out: Annotated[Path, typer.Option("--out", help="Where data, bundles, JSON and markdown go.")] = DEFAULT_OUT,
) -> None:
    """hgb vs seed-rf on the same split: ROC-AUC, PR-AUC, Brier, training time, one-row latency."""
    import os
    import platform

    import pyarrow.dataset as ds

    features = prepare_features(out, flights, months, seed)
    feature_rows = ds.dataset(features, format="parquet", partitioning="hive", ignore_prefixes=[".", "_"]).count_rows()
    results = []
    for kind in ("hgb", "seed-rf"):
        typer.echo(f"training {kind}")
        results.append(run_model(features, out, kind, eval_months))
        typer.echo(json.dumps(results[-1]))
    report = {
        "created_at": datetime.now(UTC).isoformat(),
        "flights": flights,
        "feature_rows": feature_rows,
        "months": months,
        "eval_months": eval_months,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "command": f"airline bench train --flights {flights} --months {months} --eval-months {eval_months} --seed {seed}",
        "results": results,
        "speedup": results[1]["train_seconds"] / max(results[0]["train_seconds"], 1e-9),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "train.json").write_text(json.dumps(report, indent=2))
    text = markdown(report)
    (out / "train.md").write_text(text)
    typer.echo(text)
