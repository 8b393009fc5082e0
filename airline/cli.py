"""The `airline` command: one entry point, one subcommand per job. Heavy imports stay inside commands."""

import typer

app = typer.Typer(
    name="airline",
    help="Airline efficiency pipeline: sample data, ETL, training, serving, local cloud, analysis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

# analysis (issue 8): implementations in airline/analysis/commands.py
from airline.analysis.commands import query_command, report_command  # noqa: E402

app.command("query")(query_command)
app.command("report")(report_command)

# predictor (issue 5): local predict / serve through the real Lambda handler
from airline import serve as _serve  # noqa: E402  (stdlib + typer only)

app.command("predict")(_serve.predict_command)
app.command("serve")(_serve.serve_command)

# sample data (issue 2): implementation in airline/sample_data.py
from datetime import datetime as _datetime  # noqa: E402
from pathlib import Path as _Path  # noqa: E402
from typing import Annotated as _Annotated  # noqa: E402

_SAMPLE_DIR = _Path("sample-data")


@app.command("sample-data")
def sample_data_command(
    out: _Annotated[_Path, typer.Option("--out", help="Output directory (created if missing).")] = _SAMPLE_DIR,
    flights: _Annotated[int, typer.Option("--flights", min=1, help="Number of flights to simulate.")] = 100_000,
    fmt: _Annotated[str, typer.Option("--format", help="asa: airline.csv.shuffle; bts: monthly BTS zips.")] = "asa",
    seed: _Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 7,
    start_date: _Annotated[
        _datetime, typer.Option("--start-date", formats=["%Y-%m-%d"], help="First simulated day.")
    ] = _datetime(2007, 1, 1),
    months: _Annotated[int, typer.Option("--months", min=1, max=120, help="Number of months to simulate.")] = 12,
) -> None:
    """Simulate realistic airline operations (rotations, propagated delays, weather) and write sample files."""
    import sys

    from airline.sample_data import SampleDataError, generate_sample_data

    try:
        summary = generate_sample_data(out, flights, fmt, seed, start_date.date(), months, progress=sys.stdout.isatty())  # type: ignore[arg-type]
    except SampleDataError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo("\n".join(summary.describe()))


# model registry (issue 4): implementation in airline/model_cli.py
from airline.model_cli import model_app  # noqa: E402  (typer only; boto3/trainer imported inside commands)

app.add_typer(model_app, name="model")

# training (issue 4): implementation in airline/train_cli.py (runs training/train.py with the SageMaker contract)
from airline.train_cli import train_command  # noqa: E402  (stdlib + typer only)

app.command("train")(train_command)

# feature engineering (issue 3): implementations in airline/etl.py and airline/bench/etl.py
from airline.etl import etl_command  # noqa: E402  (typer only; etl_job imported inside)

app.command("etl")(etl_command)

bench_app = typer.Typer(help="Benchmarks (figures go to bench-output/).", no_args_is_help=True)
app.add_typer(bench_app, name="bench")

from airline.bench.etl import bench_etl_command  # noqa: E402  (stdlib + typer at import)

bench_app.command("etl")(bench_etl_command)

# training benchmark (issue 4): hgb vs seed-rf, implementation in airline/bench/train.py (typer only at import)
from airline.bench.train import bench_train_command  # noqa: E402

bench_app.command("train")(bench_train_command)

# predictor benchmark (issue 5): implementation in airline/bench/predict.py (typer only at import)
from airline.bench.predict import bench_predict_command  # noqa: E402

bench_app.command("predict")(bench_predict_command)

# local cloud (issue 6): implementation in airline/local/
from airline.local.commands import demo_command, local_app  # noqa: E402  (typer only at import)

app.command("demo")(demo_command)
app.add_typer(local_app, name="local")


# deploy (issue 7): offline packaging and package sizes, implementation in airline/deploy.py (typer only at import)
from airline.deploy import deploy_app  # noqa: E402

app.add_typer(deploy_app, name="deploy")

if __name__ == "__main__":
    app()
