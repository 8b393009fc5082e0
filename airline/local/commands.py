"""CLI commands of the local cloud: `airline demo` and `airline local up`."""

from __future__ import annotations

import time
from pathlib import Path

import typer

local_app = typer.Typer(
    help="The pipeline on one machine: embedded AWS, real handlers, Glue/SageMaker stand-ins.", no_args_is_help=True
)


def demo_command(
    flights: int = typer.Option(1_000_000, "--flights", min=1000, envvar="DEMO_FLIGHTS", help="Flights to simulate."),
    workdir: Path = typer.Option(Path("demo-output"), "--workdir", help="Where data, bundles and reports go."),
    seed: int = typer.Option(7, "--seed", help="Sample data seed."),
    months: int = typer.Option(
        12, "--months", min=4, max=120, envvar="DEMO_MONTHS", help="Months the flights span (ending 2007-12)."
    ),
    baseline: bool = typer.Option(
        True, "--baseline/--no-baseline", help="Also train the seed's RandomForest for comparison."
    ),
) -> None:
    """Run the whole chain locally: upload -> ingest -> ETL -> training -> reload -> a prediction over HTTP."""
    from rich.console import Console

    from airline.local.demo import run_demo
    from airline.local.pipeline import PipelineError

    console = Console()
    try:
        run_demo(flights, workdir, seed, console, baseline, months)
    except PipelineError as exc:
        console.print(f"[bold red]demo failed[/]: {exc}")
        raise typer.Exit(1) from exc


@local_app.command("up")
def local_up(
    workdir: Path = typer.Option(Path(".local-cloud"), "--workdir", help="Scratch space for job runs."),
) -> None:
    """Keep the local cloud running: drop your own files and watch the chain run (Ctrl-C stops it)."""
    from rich.console import Console

    from airline.local.pipeline import start_local_pipeline
    from airline.local.runtime import Invocation

    console = Console()

    def show(inv: Invocation) -> None:
        mark = "[green]ok[/]" if inv.ok else f"[red]failed: {inv.error}[/]"
        console.print(
            f"{time.strftime('%H:%M:%S')} {inv.function} ({inv.records} record(s), {inv.seconds:.1f}s) {mark}"
        )

    quiet = {"POWERTOOLS_LOG_LEVEL": "WARNING"}
    with start_local_pipeline(workdir, on_invocation=show, env_overrides=quiet) as pipeline:
        endpoint = pipeline.cloud.endpoint_url
        console.rule("[bold]Local cloud is up")
        console.print(f"AWS endpoint:   {endpoint}   (credentials: any, region us-east-1)")
        console.print(f"raw bucket:     {pipeline.raw_bucket}")
        console.print(f"models bucket:  {pipeline.models_bucket}")
        console.print(f"predict API:    {pipeline.api_url}")
        request = '{"flight_date":"2025-11-04","carrier":"DL","origin":"ATL","destination":"LAX","depdelay":25,"prevflightarrdelay":30,"turnaroundminutes":45}'
        commands = [
            f"AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url {endpoint} --region us-east-1 "
            f"s3 cp airline.csv.shuffle s3://{pipeline.raw_bucket}/",
            f"curl -s {pipeline.api_url}/health",
            f"curl -s -X POST {pipeline.api_url}/predict -H 'Content-Type: application/json' -d '{request}'",
        ]
        console.print("\nTry:")
        for command in commands:
            console.print(f"  {command}", soft_wrap=True, highlight=False, markup=False)
        console.print("\nCtrl-C to stop.")
        shown = 0
        try:
            while True:
                pipeline.observer.poll()
                if pipeline.runtime.step() == 0:
                    time.sleep(0.3)
                for detail_type, detail in pipeline.observer.seen[shown:]:
                    console.print(f"[bold cyan]{detail_type}[/] {detail.model_dump_json()[:300]}", soft_wrap=True)
                shown = len(pipeline.observer.seen)
        except KeyboardInterrupt:
            console.print("stopping the local cloud")
