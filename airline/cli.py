"""The `airline` command: one entry point, one subcommand per job. Heavy imports stay inside commands."""

import typer

app = typer.Typer(
    name="airline",
    help="Airline efficiency pipeline: sample data, ETL, training, serving, local cloud, analysis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

if __name__ == "__main__":
    app()
