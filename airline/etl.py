"""`airline etl`: the feature engineering on local files (ASA, BTS zip/CSV, carriers)."""

from pathlib import Path
from typing import Annotated, Literal

import typer


def etl_command(
    raw_paths: Annotated[
        list[Path], typer.Argument(help="Raw files: ASA CSV (.gz), BTS monthly zip/CSV, carriers.csv.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Features directory (replaced atomically on success).")],
    engine: Annotated[str, typer.Option("--engine", help="duckdb (one machine) or spark (local PySpark).")] = "duckdb",
    memory_limit: Annotated[
        str | None,
        typer.Option("--memory-limit", help="DuckDB memory limit (default 1536MB); it spills to disk beyond."),
    ] = None,
) -> None:
    """Clean the raw files, build rotation features and the label, write Parquet; print the run summary."""
    import sys

    from etl_job.models import EtlError
    from etl_job.run import run_etl

    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter("engine must be duckdb or spark", param_hint="--engine")
    chosen: Literal["duckdb", "spark"] = "spark" if engine == "spark" else "duckdb"
    try:
        summary = run_etl(
            raw_paths,
            out,
            engine=chosen,
            progress=lambda msg: print(msg, file=sys.stderr),
            memory_limit=memory_limit,
        )
    except EtlError as exc:
        typer.echo(f"ETL failed, previous output left as it was: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(summary.model_dump_json(indent=2))
