"""`airline sample-data`: thin CLI over airline.sample_data (imported inside the command)."""

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer


def sample_data_command(
    out: Annotated[Path, typer.Option("--out", help="Output directory (created if missing).")] = Path("sample-data"),
    flights: Annotated[int, typer.Option("--flights", min=1, help="Number of flights to simulate.")] = 100_000,
    fmt: Annotated[str, typer.Option("--format", help="asa: airline.csv.shuffle; bts: monthly BTS zips.")] = "asa",
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 7,
    start_date: Annotated[
        datetime, typer.Option("--start-date", formats=["%Y-%m-%d"], help="First simulated day.")
    ] = datetime(2007, 1, 1),
    months: Annotated[int, typer.Option("--months", min=1, max=120, help="Number of months to simulate.")] = 12,
) -> None:
    """Simulate realistic airline operations (rotations, propagated delays, weather) and write sample files."""
    from airline.sample_data import SampleDataError, generate_sample_data

    try:
        summary = generate_sample_data(out, flights, fmt, seed, start_date.date(), months, progress=sys.stdout.isatty())  # type: ignore[arg-type]
    except SampleDataError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo("\n".join(summary.describe()))
