"""`airline train`: run the SageMaker entry point locally, with the SageMaker contract, and print the metrics.

The script runs in a subprocess with SM_CHANNEL_TRAIN / SM_MODEL_DIR / SM_OUTPUT_DATA_DIR set,
exactly as the container runs it; the failure file is read back and shown when it fails.
"""

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer


def training_script() -> Path:
    """Path of `training/train.py` (found without importing the training package)."""
    spec = importlib.util.find_spec("training")
    if spec is None or not spec.submodule_search_locations:
        raise typer.BadParameter("the `training` package is not importable; run from the repo's venv")
    return Path(next(iter(spec.submodule_search_locations))) / "train.py"


def run_training_script(features: Path, model_dir: Path, hyperparameters: dict[str, str]) -> tuple[int, str | None]:
    """Run train.py like SageMaker does; returns (exit code, failure file text or None)."""
    with tempfile.TemporaryDirectory(prefix="airline-train-") as tmp:
        output_data = Path(tmp) / "output" / "data"
        env = {
            **os.environ,
            "SM_CHANNEL_TRAIN": str(features.resolve()),
            "SM_MODEL_DIR": str(model_dir.resolve()),
            "SM_OUTPUT_DATA_DIR": str(output_data),
        }
        env.pop("SM_FAILURE_FILE", None)
        args = [item for name, value in hyperparameters.items() for item in (f"--{name}", value)]
        code = subprocess.run([sys.executable, str(training_script()), *args], env=env, check=False).returncode
        failure = output_data.parent / "failure"
        return code, failure.read_text().strip() if failure.exists() else None


def train_command(
    features: Annotated[
        Path, typer.Option("--features", exists=True, file_okay=False, help="Features table (year=/month= Parquet).")
    ],
    model_dir: Annotated[Path, typer.Option("--model-dir", help="Where the bundle is written (created if missing).")],
    model: Annotated[str, typer.Option("--model", help="hgb (default) or seed-rf (the seed's RandomForest).")] = "hgb",
    eval_months: Annotated[
        int, typer.Option("--eval-months", min=1, help="Most recent months held out for evaluation.")
    ] = 2,
    hyperparameter: Annotated[
        list[str] | None,
        typer.Option("--hp", help="Extra hyperparameter NAME=VALUE (repeatable), e.g. --hp max-iter=500."),
    ] = None,
) -> None:
    """Train a model bundle from a features table with the SageMaker entry point and print its metrics."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    hps = {"model": model, "eval-months": str(eval_months)}
    for item in hyperparameter or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--hp expects NAME=VALUE, got {item!r}")
        hps[name.strip()] = value.strip()
    code, failure = run_training_script(features, model_dir, hps)
    if code != 0:
        console.print(f"[bold red]training failed[/]: {failure or f'exit code {code} (no failure file)'}")
        raise typer.Exit(1)
    from airline_shared.bundle import MANIFEST_FILE, BundleManifest

    manifest = BundleManifest.model_validate_json((model_dir / MANIFEST_FILE).read_text())
    table = Table(title=f"bundle {manifest.version} ({manifest.model_kind})")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, number in manifest.metrics.headline().items():
        table.add_row(name, f"{number:,.0f}" if name.endswith("_rows") else f"{number:.4f}")
    for name, cut in manifest.thresholds.model_dump().items():
        table.add_row(f"threshold {name}", f"{cut:.4f}")
    console.print(table)
    console.print(f"train {manifest.training_data.train_period[0]}..{manifest.training_data.train_period[1]}, "
                  f"eval {manifest.training_data.eval_period[0]}..{manifest.training_data.eval_period[1]}; "
                  f"report: {model_dir / 'report.html'}")  # fmt: skip
