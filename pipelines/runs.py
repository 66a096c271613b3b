"""Run the pipeline end to end: ingest new, changed or removed raw files, then build the warehouse.

Used by `cchc run` and by the integration tests, so both exercise the jobs the sensors launch. What to
ingest is read from the ledgers in the warehouse file and the files in `raw/`, nothing else: a warehouse
folder and `raw/` copied elsewhere carry on where they were.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from pipelines.definitions import BUILD_JOB, build_keys, stale
from pipelines.indices.assets import LEDGER as INDEX_LEDGER
from pipelines.indices.assets import index_reader_version
from pipelines.landing.ledger import Pending, pending
from pipelines.plans.assets import LEDGER as PLAN_LEDGER
from pipelines.plans.assets import ingest_plans_job, pending_plans, plan_files, plan_partitions
from pipelines.reports.assets import LEDGER as REPORT_LEDGER
from pipelines.reports.assets import ingest_reports_job, pending_reports, period_files_config, report_periods
from pipelines.resources import WAREHOUSE_POOL
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


# which process runs an in-process run: `cchc run` tags its runs, so that a later one can tell a run
# whose process was killed from one still going
PROCESS_TAG = "cchc/process"


def this_process() -> dict[str, str]:
    return {PROCESS_TAG: f"{socket.gethostname()}:{os.getpid()}"}


def _process_is_gone(run: dg.DagsterRun) -> bool:
    host, _, pid = run.tags.get(PROCESS_TAG, "").partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # not ours to judge: a run of the UI or of another machine
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release_slots_of_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Free the writer-pool slots, claimed or waited for, of runs that can never give them back: runs
    that ended without freeing them (a step died of a broken pipe), and runs of `cchc run` whose process
    was killed (marked failed here). Every later run would otherwise wait for them forever."""
    info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
    holders = {slot.run_id for slot in info.claimed_slots} | {step.run_id for step in info.pending_steps}
    released = []
    for run_id in sorted(holders):
        run = instance.get_run_by_id(run_id)
        if run is not None and not run.is_finished:
            if not _process_is_gone(run):
                continue
            instance.report_run_failed(run, "its process was killed; its writer slot was freed")
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)
        released.append(run_id)
    return released


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
    for run_id in release_slots_of_dead_runs(instance):
        echo(f"Freed the writer slot held or awaited by run {run_id}, which can no longer use it")
    work = pending_work(settings)
    results = ingest(defs, instance, work, run_config=run_config, echo=echo)
    selection = build or (dg.AssetSelection.all() if full else stale(settings))
    if selection is None:
        echo("Nothing changed since the last publication: nothing to build")
        return results
    echo("Building the warehouse")
    results.append(build_warehouse(defs, instance, selection, run_config=run_config))
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
) -> dg.ExecuteInProcessResult:
    """Run the build job: all of it, or the part of it in `selection` (with those assets' checks)."""
    job = defs.resolve_job_def(BUILD_JOB)
    keys = None if selection is None else build_keys(job, defs.resolve_asset_graph(), selection)
    return job.execute_in_process(
        instance=instance,
        run_config=run_config,
        asset_selection=keys,
        tags=this_process(),
        raise_on_error=False,
    )
