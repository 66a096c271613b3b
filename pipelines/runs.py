"""Run the pipeline end to end: ingest new, changed or removed raw files, then build the warehouse.

Used by `cchc run` and by the integration tests, so both exercise the jobs the sensors launch. What to
ingest is read from the ledgers in the warehouse file and the files in `raw/`, nothing else: a warehouse
folder and `raw/` copied elsewhere carry on where they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from pipelines.automation import BUILD_JOB, build_keys, stale
from pipelines.indices.assets import LEDGER as INDEX_LEDGER
from pipelines.indices.assets import index_reader_version
from pipelines.landing.ledger import Pending, pending
from pipelines.plans.assets import LEDGER as PLAN_LEDGER
from pipelines.plans.assets import ingest_plans_job, pending_plans, plan_files, plan_partitions
from pipelines.recovery import (
    PROCESS_TAG,
    release_slots_of_dead_runs,
    remove_leftovers,
    runs_in_progress,
    this_process,
    wait_for_warehouse,
    writer_slot_holders,
)
from pipelines.reports.assets import LEDGER as REPORT_LEDGER
from pipelines.reports.assets import ingest_reports_job, pending_reports, period_files_config, report_periods
from pipelines.settings import Settings


@dataclass(frozen=True)
class Work:
    """What a run would ingest: plan partitions (file → content hash or "removed"), report periods
    (period → {file: content hash, or None when removed}) and index files."""

    plans: dict[str, str] = field(default_factory=dict)
    reports: dict[str, dict[str, str | None]] = field(default_factory=dict)
    indices: Pending = field(default_factory=Pending)

    def __bool__(self) -> bool:
        return bool(self.plans or self.reports or self.indices)


def pending_work(settings: Settings) -> Work:
    """Compare `raw/` with the ledgers of the warehouse (no run may be writing it)."""
    database = settings.warehouse_path
    return Work(
        plans=plan_partitions(pending_plans(settings, PLAN_LEDGER.read_current(database))),
        reports=pending_reports(settings.reports_dir, REPORT_LEDGER.read_current(database)),
        indices=pending(settings.indices_dir, INDEX_LEDGER.read_current(database), index_reader_version()),
    )


def recover(instance: dg.DagsterInstance, settings: Settings, echo: Callable[[str], None]) -> None:
    """Clear what killed runs left (recovery.py), saying what was cleared and what is waited for."""
    for run_id in release_slots_of_dead_runs(instance):
        echo(f"Freed the writer slot held or awaited by run {run_id}, whose process is gone")
    if not runs_in_progress(instance):
        for path in remove_leftovers(settings):
            echo(f"Removed {path.name}, left by an interrupted run")
    wait_for_warehouse(settings.warehouse_path, echo)


def _say_who_writes(instance: dg.DagsterInstance, echo: Callable[[str], None]) -> None:
    """Name the runs holding the writer slot the next run will wait for, if any."""
    for run_id in sorted(writer_slot_holders(instance)):
        run = instance.get_run_by_id(run_id)
        where = run.tags.get(PROCESS_TAG, "the Dagster daemon or UI") if run else "an unknown process"
        echo(f"Waiting for run {run_id} ({where}) to free the warehouse writer slot")


def _register(
    instance: dg.DagsterInstance, partitions: dg.DynamicPartitionsDefinition, keys: Iterable[str]
) -> None:
    known = set(instance.get_dynamic_partitions(partitions.name))
    instance.add_dynamic_partitions(partitions.name, sorted(set(keys) - known))


def run_pipeline(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    settings: Settings,
    *,
    build: dg.AssetSelection | None = None,
    full: bool = False,
    run_config: Mapping[str, Any] | None = None,
    echo: Callable[[str], None] = lambda _: None,
) -> list[dg.ExecuteInProcessResult]:
    """Ingest what is pending, then build what changed since the last publication (everything with
    `full`, or the `build` selection of the build job)."""
    recover(instance, settings, echo)
    work = pending_work(settings)
    results = ingest(defs, instance, work, run_config=run_config, echo=echo)
    selection = build or (dg.AssetSelection.all() if full else stale(settings))
    if selection is None:
        echo("Nothing changed since the last publication: nothing to build")
        return results
    echo("Building the warehouse")
    results.append(build_warehouse(defs, instance, selection, run_config=run_config, echo=echo))
    return results


def ingest(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    work: Work,
    *,
    run_config: Mapping[str, Any] | None = None,
    echo: Callable[[str], None] = lambda _: None,
) -> list[dg.ExecuteInProcessResult]:
    """Ingest each pending plan file of `work` (one run per file) and its pending reports (one run per
    period, handed the files the planner found)."""
    results: list[dg.ExecuteInProcessResult] = []
    parts = []
    if work.plans:
        parts.append(f"{len(work.plans)} plan files (a run each)")
    if work.reports:
        files = sum(len(period) for period in work.reports.values())
        parts.append(f"{files} report files ({len(work.reports)} runs, one per period)")
    if parts:
        echo(f"Ingesting {' and '.join(parts)}")
    _register(instance, plan_files, work.plans)
    ingest_plans = defs.resolve_job_def(ingest_plans_job.name)
    for key in sorted(work.plans):
        _say_who_writes(instance, echo)
        results.append(
            ingest_plans.execute_in_process(
                instance=instance,
                partition_key=key,
                run_config=run_config,
                tags=this_process(),
                raise_on_error=False,
            )
        )
    _register(instance, report_periods, work.reports)
    ingest_reports = defs.resolve_job_def(ingest_reports_job.name)
    for period in sorted(work.reports):
        _say_who_writes(instance, echo)
        results.append(
            ingest_reports.execute_in_process(
                instance=instance,
                partition_key=period,
                run_config={**(run_config or {}), **period_files_config(work.reports[period])},
                tags=this_process(),
                raise_on_error=False,
            )
        )
    return results


def build_warehouse(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    selection: dg.AssetSelection | None = None,
    *,
    run_config: Mapping[str, Any] | None = None,
    echo: Callable[[str], None] = lambda _: None,
) -> dg.ExecuteInProcessResult:
    """Run the build job: all of it, or the part of it in `selection` (with those assets' checks)."""
    job = defs.resolve_job_def(BUILD_JOB)
    _say_who_writes(instance, echo)
    keys = None if selection is None else build_keys(job, defs.resolve_asset_graph(), selection)
    return job.execute_in_process(
        instance=instance,
        run_config=run_config,
        asset_selection=keys,
        tags=this_process(),
        raise_on_error=False,
    )
