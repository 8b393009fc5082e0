"""`airline query` and `airline report`: argument parsing and output only; the work is in the library.

Imports of DuckDB, pyarrow and matplotlib stay inside the functions so `airline --help` stays fast.
"""

from __future__ import annotations

import io
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    import pyarrow as pa


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def query_command(
    name_or_sql: Annotated[
        str | None,
        typer.Argument(metavar="[NAME|SQL]", help="A library query name, or SQL over the relation `features`."),
    ] = None,
    features: Annotated[
        Path | None, typer.Option("--features", help="Features snapshot directory (hive-partitioned Parquet).")
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.TABLE,
    out: Annotated[Path | None, typer.Option("--out", help="Write the output to this file instead of stdout.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="Show at most N rows.")] = None,
) -> None:
    """Run an analysis query (by name, or raw SQL) over a features snapshot. Without NAME: list the queries."""
    from airline.analysis.library import AnalysisError, UnknownQueryError, list_queries, run_query

    if name_or_sql is None:
        for query in list_queries():
            typer.echo(f"{query.name:<28} {query.description}")
        return
    if features is None:
        _fail("--features DIR is required to run a query (a features snapshot directory).", exit_code=2)
    try:
        table = run_query(name_or_sql, features)
    except UnknownQueryError as error:
        _fail(f"{error}\nRun `airline query` to list them with descriptions, or pass SQL over `features`.", 2)
    except AnalysisError as error:
        _fail(str(error), exit_code=1)
    if limit is not None:
        table = table.slice(0, limit)
    text = format_table(table, output_format)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {table.num_rows} rows to {out}", err=True)


def report_command(
    features: Annotated[
        Path, typer.Option("--features", help="Features snapshot directory (hive-partitioned Parquet).")
    ],
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("report.html"),
) -> None:
    """Write the self-contained HTML efficiency report (charts embedded, opens offline)."""
    from airline.analysis.library import AnalysisError
    from airline.analysis.report import build_report

    try:
        path = build_report(features, out)
    except AnalysisError as error:
        _fail(str(error), exit_code=1)
    typer.echo(f"Report written to {path.resolve()}")


def format_table(table: pa.Table, output_format: OutputFormat) -> str:
    """Render a result as a rich text table, CSV (with header) or a JSON array of objects."""
    if output_format is OutputFormat.CSV:
        import pyarrow.csv

        buffer = io.BytesIO()
        pyarrow.csv.write_csv(table, buffer)
        return buffer.getvalue().decode("utf-8")
    if output_format is OutputFormat.JSON:
        return json.dumps(table.to_pylist(), default=str, indent=2) + "\n"
    return _rich_text(table)


def _rich_text(table: pa.Table) -> str:
    import pyarrow as pa
    from rich.console import Console
    from rich.table import Table

    rendered = Table(show_lines=False)
    for name in table.column_names:
        is_number = pa.types.is_integer(table.schema.field(name).type) or pa.types.is_floating(
            table.schema.field(name).type
        )
        rendered.add_column(name, justify="right" if is_number else "left")
    for row in table.to_pylist():
        rendered.add_row(*(_cell(value) for value in row.values()))
    rendered.caption = f"{table.num_rows} rows"
    console = Console(file=io.StringIO(), width=250, force_terminal=False)
    console.print(rendered)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _fail(message: str, exit_code: int) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(exit_code)
