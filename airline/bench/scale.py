"""`airline bench scale`: the data path at one size, stage by stage: ETL, training and the efficiency report.

Data: `airline sample-data` (ASA layout, shuffled), generated once per (flights, months) under
<out>/data/scale-<flights>x<months>/. Each stage runs with its default settings in a fresh process, so
its wall time and peak RSS (the child's own rusage) are its alone; the stage's progress is echoed live.
Results are merged by size into <out>/scale.json and rendered as <out>/scale.md.
"""

import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from airline.bench.child import run_measured

DEFAULT_OUT = Path("bench-output")
STAGES = ("etl", "train", "report")


def _data_dir(out: Path, flights: int, months: int) -> Path:
    return out / "data" / f"scale-{flights}x{months}"


def ensure_sample(out: Path, flights: int, months: int) -> tuple[Path, Path]:
    """The (flights file, carriers file) of this size, generated on first use."""
    from airline.sample_data import ASA_FILE, CARRIERS_FILE, generate_sample_data, start_date_ending_2007

    root = _data_dir(out, flights, months)
    if not (root / ASA_FILE).exists():
        typer.echo(f"generating {flights:,} flights over {months} months -> {root}")
        generate_sample_data(
            root, flights, "asa", seed=7, start_date=start_date_ending_2007(months), months=months, progress=True
        )
    return root / ASA_FILE, root / CARRIERS_FILE


def _stage(name: str, args: list[str]) -> dict[str, Any]:
    """Child process body: run one stage with its default settings; print its result as JSON last."""
    started = time.perf_counter()
    result: dict[str, Any]
    if name == "etl":
        from etl_job.run import run_etl

        summary = run_etl([Path(args[0]), Path(args[1])], Path(args[2]), progress=print)
        result = {"rows_read": summary.rows_read, "rows_written": summary.rows_written}
    elif name == "train":
        from training.pipeline import train_bundle

        manifest = train_bundle(Path(args[0]), Path(args[1]), progress=print)
        metrics = manifest.metrics
        result = {"roc_auc": metrics.roc_auc, "pr_auc": metrics.pr_auc, "brier": metrics.brier}
        result |= {
            "train_rows": metrics.train_rows,
            "eval_rows": metrics.eval_rows,
            "fit_seconds": metrics.train_seconds,
        }
    else:
        from airline.analysis.report import build_report

        build_report(Path(args[0]), Path(args[1]))
        result = {}
    return {"seconds": round(time.perf_counter() - started, 1), **result}


def _run_stage(name: str, args: list[str], log: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "airline.bench.scale", name, *args]
    started = time.perf_counter()
    run = run_measured(
        cmd, log, echo=lambda line: typer.echo(f"  [{name} {time.perf_counter() - started:5.0f} s] {line}")
    )
    if run.returncode != 0:
        return {"stage": name, "error": run.output_tail[-2000:], "peak_rss_mb": run.peak_rss_mb}
    return {"stage": name, **json.loads(run.last_line), "peak_rss_mb": run.peak_rss_mb, "cpu_seconds": run.cpu_seconds}


def run_scale_benchmark(flights: int, months: int, out: Path = DEFAULT_OUT, keep: bool = False) -> dict[str, Any]:
    """Generate (or reuse) the data, run every stage, merge the results into scale.json and scale.md."""
    flights_file, carriers = ensure_sample(out, flights, months)
    work = out / "work" / f"scale-{flights}x{months}"
    shutil.rmtree(work, ignore_errors=True)
    features, model, report = work / "features", work / "model", work / "efficiency-report.html"
    arguments = {
        "etl": [str(flights_file), str(carriers), str(features)],
        "train": [str(features), str(model)],
        "report": [str(features), str(report)],
    }
    results = []
    for name in STAGES:
        typer.echo(f"stage {name} ({flights:,} flights)")
        result = _run_stage(name, arguments[name], work / f"{name}.log")
        results.append(result)
        typer.echo(json.dumps(result))
        if "error" in result:
            break
    etl = results[0]
    if "rows_read" in etl:
        etl["rows_per_s"] = round(etl["rows_read"] / etl["seconds"])
    run = {
        "flights": flights,
        "months": months,
        "input_bytes": flights_file.stat().st_size,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "stages": results,
    }
    report_json = _merge(out / "scale.json", run)
    (out / "scale.md").write_text("# Scale benchmark\n\n" + scale_markdown(report_json["runs"]))
    typer.echo(scale_markdown([run]))
    if not keep:
        shutil.rmtree(work / "features", ignore_errors=True)
    return run


def _merge(path: Path, run: dict[str, Any]) -> dict[str, Any]:
    runs = json.loads(path.read_text())["runs"] if path.exists() else []
    runs = [r for r in runs if (r["flights"], r["months"]) != (run["flights"], run["months"])] + [run]
    merged = {"runs": sorted(runs, key=lambda r: (r["flights"], r["months"]))}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=2))
    return merged


def scale_markdown(runs: list[dict[str, Any]]) -> str:
    """One row per (size, stage): seconds, peak RSS and what the stage measured."""
    lines = [
        "| flights | input | stage | seconds | peak RSS (MB) | measured |",
        "|---:|---:|---|---:|---:|---|",
    ]
    for run in runs:
        for stage in run["stages"]:
            size = _size(run["input_bytes"])
            if "error" in stage:
                lines.append(
                    f"| {run['flights']:,} | {size} | {stage['stage']} | failed | {stage['peak_rss_mb']:,.0f} | |"
                )
                continue
            lines.append(
                f"| {run['flights']:,} | {size} | {stage['stage']} | {stage['seconds']:,.1f} | "
                f"{stage['peak_rss_mb']:,.0f} | {_measured(stage)} |"
            )
    return "\n".join(lines) + "\n"


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def _measured(stage: dict[str, Any]) -> str:
    if stage["stage"] == "etl":
        return f"{stage['rows_per_s']:,} rows/s, {stage['rows_written']:,} rows written"
    if stage["stage"] == "train":
        return (
            f"ROC-AUC {stage['roc_auc']:.4f}, PR-AUC {stage['pr_auc']:.4f}, "
            f"{stage['train_rows']:,} training rows, fit {stage['fit_seconds']:.0f} s"
        )
    return ""


def bench_scale_command(
    flights: Annotated[int, typer.Option("--flights", min=1000, help="Flights to generate (or reuse).")] = 1_000_000,
    months: Annotated[int, typer.Option("--months", min=4, max=120, help="Months they span (ending 2007-12).")] = 12,
    out: Annotated[Path, typer.Option("--out", help="Where data, JSON and markdown go.")] = DEFAULT_OUT,
    keep: Annotated[bool, typer.Option("--keep", help="Keep the features under <out>/work/.")] = False,
) -> None:
    """Scale benchmark: ETL, training and the efficiency report at one size (wall time, peak memory).

    The seed's dataset: `airline bench scale --flights 123500000 --months 120` (12.5 GB; about 7 minutes
    to generate the first time, then reused).
    """
    run = run_scale_benchmark(flights, months, out, keep)
    if any("error" in s for s in run["stages"]):
        raise typer.Exit(1)


if __name__ == "__main__":
    print(json.dumps(_stage(sys.argv[1], sys.argv[2:])), flush=True)
    os._exit(0)  # skip interpreter teardown (pyarrow's thread pool can abort at exit after a large run)
