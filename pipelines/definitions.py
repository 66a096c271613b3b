"""The one Definitions object of the cchc-warehouse code location: each source of SOURCES (its raw
tables, ingestion job and sensor), then what is built on them."""

from pipelines.startup import imports_uncollected

# the code location's imports, once per process that loads it (`cchc`, the UI's code server, each run)
with imports_uncollected():
    import dagster as dg

    from pipelines.extracts.assets import chase_list, feedback_workbooks, par_trend_extracts, review_workbooks
    from pipelines.orchestration.alerts import alert_on_failure
    from pipelines.orchestration.automation import (
        RAW_TABLES,
        after_report_due_date,
        build_after_ingestion,
        build_warehouse_job,
        free_dead_writer_slots,
        nightly_build,
    )
    from pipelines.orchestration.progress import progress_logger
    from pipelines.orchestration.recovery import WarehouseDuckDB
    from pipelines.quality.checks import gx_checks
    from pipelines.quality.reporting import jumps_check, missing_reports_check
    from pipelines.quality.worker import QualityWorker
    from pipelines.settings import Settings, load_settings
    from pipelines.sources.registry import SOURCES
    from pipelines.warehouse.dbt_assets import WAREHOUSE_GROUP, cchc_dbt_models
    from pipelines.warehouse.parquet import parquet_files
    from pipelines.warehouse.project import dbt_resource
    from pipelines.warehouse.publish import published_warehouse
    from pipelines.warehouse.quarantine import quarantine_asset

all_assets = [
    *(source.assets for source in SOURCES),
    cchc_dbt_models,
    published_warehouse,
    parquet_files,
    quarantine_asset(RAW_TABLES.ledgers, WAREHOUSE_GROUP),
    par_trend_extracts,
    chase_list,
    review_workbooks,
    feedback_workbooks,
]


def build_resources(settings: Settings) -> dict[str, object]:
    """Every resource, from the one settings object. The warehouse folder is created here: DuckDB
    creates a missing file but not its folder, and any asset may be the first to open it."""
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    return {
        "settings": settings,
        "duckdb": WarehouseDuckDB(database=str(settings.warehouse_path)),
        "dbt": dbt_resource(),
        "raw_tables": RAW_TABLES,
        "quality": QualityWorker(warehouse_dir=str(settings.warehouse_dir)),
    }


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    return dg.Definitions(
        assets=all_assets,
        asset_checks=[*gx_checks, missing_reports_check, jumps_check],
        jobs=[*(source.job for source in SOURCES), build_warehouse_job],
        schedules=[after_report_due_date, nightly_build],
        sensors=[
            *(source.sensor for source in SOURCES),
            build_after_ingestion,
            free_dead_writer_slots,
            alert_on_failure,
        ],
        resources=build_resources(settings or load_settings()),
        # A run is one process, as `cchc run` runs it: Dagster's default for a launched run (a sensor's,
        # a schedule's, the UI's) starts a Python process per step, each importing the definitions and
        # GX again (about 5 s a step), while the steps that write wait for the one writer slot anyway.
        # The recovery of a run that died with its code server relies on it: the run is tagged with the
        # one process its steps run in (recovery.WarehouseDuckDB).
        executor=dg.in_process_executor,
        loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    )


defs = build_definitions()
