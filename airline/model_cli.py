"""`airline model list|rollback`: read and move the trainer's model registry (the DynamoDB CURRENT pointer).

Names come from, in order: --table/--bus options; the stage convention when --stage is given
(`airline-<stage>-model-registry`, bus `airline-<stage>`); REGISTRY_TABLE / EVENT_BUS_NAME from the environment;
the `dev` stage convention. Heavy imports (boto3, the trainer package) stay inside the commands.
"""

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import typer

if TYPE_CHECKING:
    from trainer.logic.ports import RegistryDeps

T = TypeVar("T")

model_app = typer.Typer(
    help="Model registry: list versions with metrics, roll the served model back.", no_args_is_help=True
)

STAGE_OPTION = typer.Option(None, "--stage", help="Deployment stage (names follow airline-<stage>-...).")
REGION_OPTION = typer.Option(None, "--region", help="AWS region (default: your AWS configuration).")
TABLE_OPTION = typer.Option(None, "--table", help="Registry table name (overrides the stage convention).")
BUS_OPTION = typer.Option(None, "--bus", help="Event bus for ModelUpdated (overrides the stage convention).")


def registry_names(stage: str | None, table: str | None, bus: str | None) -> dict[str, str]:
    """Resolve the registry table and event bus names (see the module docstring for the order)."""
    env = {"registry_table": os.environ.get("REGISTRY_TABLE"), "event_bus_name": os.environ.get("EVENT_BUS_NAME")}
    convention = {
        "registry_table": f"airline-{stage or 'dev'}-model-registry",
        "event_bus_name": f"airline-{stage or 'dev'}",
    }
    base = convention if stage is not None else {k: env[k] or convention[k] for k in convention}
    explicit = {"registry_table": table, "event_bus_name": bus}
    return {k: explicit[k] or v for k, v in base.items()}


def _run(
    action: Callable[["RegistryDeps"], T], stage: str | None, region: str | None, table: str | None, bus: str | None
) -> T:
    """Run a registry action on the resolved registry; AWS and domain errors become one red line and exit code 1."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError
    from trainer.adapters.wiring import build_registry_deps
    from trainer.logic.errors import TrainerError
    from trainer.models.settings import RegistrySettings

    if region:
        boto3.setup_default_session(region_name=region)
    names = registry_names(stage, table, bus)
    settings = RegistrySettings(registry_table=names["registry_table"], event_bus_name=names["event_bus_name"])
    deps = build_registry_deps(settings)
    try:
        return action(deps)
    except TrainerError as exc:
        message = str(exc)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        message = f"{error.get('Code')}: {error.get('Message')} (table {names['registry_table']!r}, bus {names['event_bus_name']!r}; check --stage/--region)"
    except BotoCoreError as exc:
        message = f"AWS configuration problem: {exc}"
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


@model_app.command("list")
def list_command(
    stage: str | None = STAGE_OPTION,
    region: str | None = REGION_OPTION,
    table: str | None = TABLE_OPTION,
    bus: str | None = BUS_OPTION,
) -> None:
    """Show every registered model version with its gate metrics; the served one is marked with *."""
    from rich.console import Console
    from rich.table import Table
    from trainer.logic.rollback import list_models

    rows = _run(list_models, stage, region, table, bus)
    console = Console()
    if not rows:
        console.print("No model versions registered yet (no training job has completed).")
        return
    view = Table(title="Model registry")
    for column in ("", "version", "status", "roc_auc", "pr_auc", "brier", "kind", "registered (UTC)", "training job"):
        view.add_column(column)
    for row in rows:
        e = row.entry
        metric = {k: f"{e.metrics[k]:.4f}" if k in e.metrics else "-" for k in ("roc_auc", "pr_auc", "brier")}
        view.add_row(
            "*" if row.is_current else "",
            e.version,
            e.status,
            metric["roc_auc"],
            metric["pr_auc"],
            metric["brier"],
            e.model_kind,
            e.registered_at.strftime("%Y-%m-%d %H:%M:%S"),
            e.training_job_name,
        )
    console.print(view)


@model_app.command("rollback")
def rollback_command(
    version: str = typer.Argument(..., help="A version that was once promoted (see `airline model list`)."),
    stage: str | None = STAGE_OPTION,
    region: str | None = REGION_OPTION,
    table: str | None = TABLE_OPTION,
    bus: str | None = BUS_OPTION,
) -> None:
    """Serve an earlier promoted version again: one registry pointer change plus ModelUpdated(cause=rollback)."""
    from trainer.logic.rollback import rollback_model

    event = _run(lambda deps: rollback_model(version, deps), stage, region, table, bus)
    typer.echo(f"current model is now {event.version} (was {event.previous_version}); bundle {event.bundle_uri}")
    typer.echo("ModelUpdated(cause=rollback) published: the predictor reloads on it.")
