"""The `cchc` command. Thin: each sub-command calls the modules that do the work."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from pipelines.settings import PROJECT_ROOT, RAW_ENV, WAREHOUSE_ENV, load_settings

app = typer.Typer(
    help="cchc-warehouse: build and inspect the CCHC (public administration reform) data warehouse.",
    no_args_is_help=True,
    add_completion=False,
)

BUILD_JOB = "build_warehouse"


@app.command()
def where() -> None:
    """Print where the warehouse, its published copy, raw files and extracts are."""
    settings = load_settings()
    typer.echo(f"warehouse (pipeline writes here):   {settings.warehouse_path}")
    typer.echo(f"published copy (BI tools read this): {settings.published_path}")
    typer.echo(f"raw files (drop documents here):    {settings.raw_dir}")
    typer.echo(f"extracts (leadership workbooks):    {settings.extracts_dir}")
    typer.echo(f"(set {WAREHOUSE_ENV} or {RAW_ENV} to move them)")


@app.command()
def run() -> None:
    """Build everything: load reference data and raw files, run dbt with its tests, publish the copy.

    Runs are recorded in the Dagster instance under DAGSTER_HOME (default .dagster/), so they also
    appear in the Dagster UI (`make dev`).
    """
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.warehouse.summary import describe_tables

    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster"))
    settings = load_settings()
    typer.echo(f"Building the warehouse at {settings.warehouse_path}")
    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def(BUILD_JOB).execute_in_process(
            instance=instance,
            run_config={"loggers": {"progress": {}}},
            raise_on_error=False,
        )
    if not result.success:
        typer.echo(
            f"Run {result.run_id} failed; open it in the Dagster UI (make dev) for the full log.", err=True
        )
        raise typer.Exit(code=1)
    typer.echo("")
    typer.echo(describe_tables(Path(settings.published_path)))
    typer.echo(f"\nWarehouse: {settings.warehouse_path}\nBI tools:  {settings.published_path} (read-only)")


if __name__ == "__main__":
    app()
