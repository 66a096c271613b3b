"""What runs by itself: the build job, the sensors that follow files and runs, and the statutory
calendar (Asia/Ho_Chi_Minh).

- Files: each source's sensor (`plan_files_sensor`, `report_files_sensor`, `index_files_sensor`) ingests
  files as they arrive; `build_after_ingestion` then builds what each ingestion run fed and publishes it.
- Calendar: on the day after each report's due date (from the report_kinds seed, never a literal date)
  `after_report_due_date` builds, checks and publishes the whole warehouse and writes the period's extracts
  and chase list; `nightly_build` builds what late and resubmitted files changed.
- Housekeeping: `free_dead_writer_slots` frees the writer slot of runs whose process was killed.
All on by default and switchable in the UI; with CCHC_AUTOMATION=off they all start stopped. Every run
that writes sits in the writer pool, so none of these ever starts a second writer: it waits for the slot.
"""

from typing import Any

import dagster as dg
import duckdb

from pipelines.landing.ledger import RawTables
from pipelines.orchestration.recovery import fail_dead_runs, release_slots_of_dead_runs
from pipelines.settings import Settings, schedule_status, sensor_status
from pipelines.sources.registry import SOURCES
from pipelines.text.periods import days_after_due, period_due_before
from pipelines.warehouse import builds

# the raw tables every source declares, created before dbt reads them as sources
RAW_TABLES = RawTables(tuple(source.ledger for source in SOURCES))

BUILD_JOB = "build_warehouse"
build_warehouse_job = dg.define_asset_job(
    name=BUILD_JOB,
    # Each source's ingestion job runs first; this job builds on what they loaded.
    selection=dg.AssetSelection.all()
    - dg.AssetSelection.groups(*(source.ledger.group for source in SOURCES)),
    description=(
        "Build the warehouse from loaded raw data: seeds, dbt models and tests, the published copy, the "
        "Parquet files, the quarantine list, the leadership extracts."
    ),
)


def stale(settings: Settings) -> dg.AssetSelection | None:
    """What a build must refresh: everything when the warehouse was never published, another project
    version published it, or its incremental models are not this version's whole (builds.changed_sources);
    else what is downstream of the sources whose files changed since the last publication; None when
    nothing did."""
    changed = builds.changed_sources(settings.warehouse_path, settings.published_path, RAW_TABLES.ledgers)
    if changed is None:
        return dg.AssetSelection.all()
    return dg.AssetSelection.groups(*sorted(changed)).downstream() if changed else None


def build_keys(job: dg.JobDefinition, graph: Any, selection: dg.AssetSelection) -> list[dg.AssetKey]:
    """The assets of the build job in `selection` (their checks come with them)."""
    return sorted(selection.resolve(graph) & job.asset_layer.executable_asset_keys)


def stale_build_request(
    repository: dg.RepositoryDefinition, settings: Settings, run_key: str, *, when_busy: bool = True
) -> dg.RunRequest | dg.SkipReason:
    """A build of what changed since the last publication, or a skip when nothing did. While another
    run writes the warehouse, what changed cannot be read: the whole build is asked for, unless
    `when_busy` is False (then the warehouse's IOException goes to the caller)."""
    try:
        selection = stale(settings)
    except duckdb.IOException:
        if not when_busy:
            raise
        selection = dg.AssetSelection.all()
    if selection is None:
        return dg.SkipReason("Nothing changed since the last publication.")
    keys = build_keys(repository.get_job(BUILD_JOB), repository.asset_graph, selection)
    return dg.RunRequest(run_key=run_key, asset_selection=keys)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[source.job for source in SOURCES],
    request_job=build_warehouse_job,
    default_status=sensor_status(),
    description=(
        "After each successful ingestion run, builds and publishes what the new files change (dbt models "
        "and tests, quality checks, the published copy), so BI tools see them within minutes."
    ),
)
def build_after_ingestion(
    context: dg.RunStatusSensorContext, settings: Settings
) -> dg.RunRequest | dg.SkipReason:
    """Build what an ingestion run fed, after each successful one, so files the sensors picked up reach
    BI tools without waiting for anyone."""
    return stale_build_request(context.repository_def, settings, f"after-{context.dagster_run.run_id}")


@dg.sensor(
    minimum_interval_seconds=60,
    default_status=sensor_status(),
    description=(
        "Housekeeping, every minute: frees the warehouse writer slot of runs whose process was killed, "
        "which every later run would otherwise wait for, and marks such runs failed. Launches nothing."
    ),
)
def free_dead_writer_slots(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    """Free the warehouse writer slot of runs whose process was killed (recovery.py): every later run
    would wait for it forever; mark failed those that held none. Housekeeping, on by default; it
    launches nothing."""
    released, failed = release_slots_of_dead_runs(context.instance), fail_dead_runs(context.instance)
    said = [f"Freed the writer slot of runs {', '.join(released)}"] if released else []
    said += [f"Marked runs {', '.join(failed)} failed: their process is gone"] if failed else []
    return dg.SkipReason(". ".join(said) if said else "No dead run")


TIMEZONE = "Asia/Ho_Chi_Minh"
STATUTORY_HOUR = 6  # before the office opens: the chase list is there when the day starts


def statutory_crons() -> list[str]:
    """One cron line per day of the month that follows a due date: ['0 6 21 3,6,9,12 *']."""
    return [
        f"0 {STATUTORY_HOUR} {day} {','.join(map(str, months))} *" for day, months in days_after_due().items()
    ]


def statutory_config(period: str) -> dict:
    """The period's chase list and review workbooks."""
    return {"ops": {op: {"config": {"period": period}} for op in ("chase_list", "review_workbooks")}}


@dg.schedule(
    # one line is passed as a string, so the UI shows it as cron, not as a list
    cron_schedule=statutory_crons()[0] if len(statutory_crons()) == 1 else statutory_crons(),
    job=build_warehouse_job,
    execution_timezone=TIMEZONE,
    default_status=schedule_status(),
    description=(
        "06:00 (Asia/Ho_Chi_Minh) the day after a report's due date: builds, checks and publishes the "
        "whole warehouse (incremental tables add what changed), writes the period's chase list "
        "(danh sách đôn đốc), its review workbooks for Sở Nội vụ "
        "(phiếu xem xét) and the leadership extracts."
    ),
)
def after_report_due_date(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    """The day after a report's due date: build, check and publish the whole warehouse (the incremental
    tables add what changed), write the period's
    extracts (the year's PAR trend after the annual report), its chase list (danh sách đôn đốc) and its
    review workbooks (phiếu xem xét)."""
    period = period_due_before(context.scheduled_execution_time.date())
    if period is None:
        return dg.SkipReason("No report was due yesterday.")
    return dg.RunRequest(
        run_key=f"statutory-{period}", run_config=statutory_config(period), tags={"cchc/period": period}
    )


@dg.schedule(
    cron_schedule="0 1 * * *",
    job_name=BUILD_JOB,
    execution_timezone=TIMEZONE,
    default_status=schedule_status(),
    description=(
        "01:00 (Asia/Ho_Chi_Minh) every night: builds what late or resubmitted files changed since the "
        "last publication; skips when nothing did."
    ),
)
def nightly_build(context: dg.ScheduleEvaluationContext, settings: Settings) -> dg.RunRequest | dg.SkipReason:
    """Every night: build what late or resubmitted files changed since the last publication (nothing
    when nothing did)."""
    try:
        return stale_build_request(
            context.repository_def,
            settings,
            f"nightly-{context.scheduled_execution_time:%Y-%m-%d}",
            when_busy=False,
        )
    except duckdb.IOException:  # a writer holds the warehouse: the build after its ingestion follows
        return dg.SkipReason("The warehouse is being written; the build after that run covers it.")
