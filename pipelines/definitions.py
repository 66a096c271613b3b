"""The one Definitions object of the cchc-warehouse code location."""

from typing import Any

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from pipelines.extracts.assets import par_trend_extracts
from pipelines.indices.assets import LEDGER as INDEX_LEDGER
from pipelines.indices.assets import index_reader_version, index_tables
from pipelines.landing.ledger import RawTables, pending
from pipelines.plans.assets import LEDGER as PLAN_LEDGER
from pipelines.plans.assets import ingest_plans_job, plan_files_sensor, plan_tables
from pipelines.progress import progress_logger
from pipelines.quality.checks import gx_checks
from pipelines.recovery import release_slots_of_dead_runs
from pipelines.reports.assets import LEDGER as REPORT_LEDGER
from pipelines.reports.assets import ingest_reports_job, report_files_sensor, report_tables
from pipelines.settings import Settings, load_settings
from pipelines.warehouse import builds
from pipelines.warehouse.dbt_assets import WAREHOUSE_GROUP, cchc_dbt_models
from pipelines.warehouse.parquet import parquet_files
from pipelines.warehouse.project import dbt_resource
from pipelines.warehouse.publish import published_warehouse
from pipelines.warehouse.quarantine import quarantine_asset

# the raw tables every source declares, created before dbt reads them as sources
RAW_TABLES = RawTables((PLAN_LEDGER, REPORT_LEDGER, INDEX_LEDGER))

all_assets = [
    plan_tables,
    report_tables,
    index_tables,
    cchc_dbt_models,
    published_warehouse,
    parquet_files,
    quarantine_asset(RAW_TABLES.ledgers, WAREHOUSE_GROUP),
    par_trend_extracts,
]

BUILD_JOB = "build_warehouse"
build_warehouse_job = dg.define_asset_job(
    name=BUILD_JOB,
    # Ingestion jobs are partitioned per file or period and run first; this job builds on what they loaded.
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(PLAN_LEDGER.group, REPORT_LEDGER.group),
    description=(
        "Build the warehouse from loaded raw data: index files, seeds, dbt models and tests, the "
        "published copy, the leadership extracts."
    ),
)


def stale(settings: Settings) -> dg.AssetSelection | None:
    """What a build must refresh: everything when the warehouse was never published or another project
    version published it; else what is downstream of the sources whose files changed since the last
    publication, and of the index files waiting in raw/indices (the build ingests those); None when
    nothing did."""
    changed = builds.changed_sources(settings.warehouse_path, settings.published_path, RAW_TABLES.ledgers)
    if changed is None:
        return dg.AssetSelection.all()
    current = INDEX_LEDGER.read_current(settings.warehouse_path)
    if pending(settings.indices_dir, current, index_reader_version()):
        changed.add(INDEX_LEDGER.group)
    return dg.AssetSelection.groups(*sorted(changed)).downstream() if changed else None


def build_keys(job: dg.JobDefinition, graph: Any, selection: dg.AssetSelection) -> list[dg.AssetKey]:
    """The assets of the build job in `selection` (their checks come with them)."""
    return sorted(selection.resolve(graph) & job.asset_layer.executable_asset_keys)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_plans_job, ingest_reports_job],
    request_job=build_warehouse_job,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def build_after_ingestion(
    context: dg.RunStatusSensorContext, settings: Settings
) -> dg.RunRequest | dg.SkipReason:
    """Build what an ingestion run fed, after each successful one, so files the sensors picked up reach
    BI tools without waiting for anyone. While another run writes the warehouse, what changed cannot be
    read: the whole build is asked for."""
    try:
        selection = stale(settings)
    except duckdb.IOException:
        selection = dg.AssetSelection.all()
    if selection is None:
        return dg.SkipReason("Nothing changed since the last publication.")
    repository = context.repository_def
    keys = build_keys(repository.get_job(BUILD_JOB), repository.asset_graph, selection)
    return dg.RunRequest(run_key=f"after-{context.dagster_run.run_id}", asset_selection=keys)


@dg.sensor(minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def free_dead_writer_slots(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    """Free the warehouse writer slot of runs whose process was killed (recovery.py): every later run
    would wait for it forever. Housekeeping, on by default; it launches nothing."""
    released = release_slots_of_dead_runs(context.instance)
    return dg.SkipReason(
        f"Freed the writer slot of runs {', '.join(released)}" if released else "No dead run"
    )


def build_resources(settings: Settings) -> dict[str, object]:
    """Every resource, from the one settings object. The warehouse folder is created here: DuckDB
    creates a missing file but not its folder, and any asset may be the first to open it."""
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    return {
        "settings": settings,
        "duckdb": DuckDBResource(database=str(settings.warehouse_path)),
        "dbt": dbt_resource(),
        "raw_tables": RAW_TABLES,
    }


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    return dg.Definitions(
        assets=all_assets,
        asset_checks=gx_checks,
        jobs=[ingest_plans_job, ingest_reports_job, build_warehouse_job],
        sensors=[plan_files_sensor, report_files_sensor, build_after_ingestion, free_dead_writer_slots],
        resources=build_resources(settings or load_settings()),
        loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    )


defs = build_definitions()
