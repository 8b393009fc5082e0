"""The `airline` command: one entry point, one subcommand per job.

Command modules import only typer at import time (heavy libraries load inside the commands),
so `airline --help` stays fast.
"""

import typer

from airline.analysis.commands import query_command, report_command
from airline.bench.etl import bench_etl_command
from airline.bench.predict import bench_predict_command
from airline.bench.scale import bench_scale_command
from airline.bench.train import bench_train_command
from airline.deploy import deploy_app
from airline.etl import etl_command
from airline.local.commands import demo_command, local_app
from airline.model_cli import model_app
from airline.sample_data_cli import sample_data_command
from airline.serve import predict_command, serve_command
from airline.train_cli import train_command

app = typer.Typer(
    name="airline",
    help="Airline efficiency pipeline: sample data, ETL, training, serving, local cloud, analysis, deploy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

# The pipeline, in the order data flows through it.
app.command("sample-data")(sample_data_command)
app.command("etl")(etl_command)
app.command("train")(train_command)
app.command("predict")(predict_command)
app.command("serve")(serve_command)
app.command("query")(query_command)
app.command("report")(report_command)
app.command("demo")(demo_command)
app.add_typer(local_app, name="local")
app.add_typer(model_app, name="model")
app.add_typer(deploy_app, name="deploy")

bench_app = typer.Typer(
    help="Benchmarks: ratios against a baseline measured in the same run (bench-output/).", no_args_is_help=True
)
bench_app.command("etl")(bench_etl_command)
bench_app.command("train")(bench_train_command)
bench_app.command("predict")(bench_predict_command)
bench_app.command("scale")(bench_scale_command)
app.add_typer(bench_app, name="bench")

if __name__ == "__main__":
    app()
