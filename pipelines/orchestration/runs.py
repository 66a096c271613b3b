"""Run the pipeline end to end: ingest new, changed or removed raw files, then build the warehouse.

Used by `cchc run` and by the integration tests, so both exercise the jobs the sensors launch. What to
ingest is read from the ledgers in the warehouse file and the files in `raw/`, nothing else: a warehouse
folder and `raw/` copied elsewhere carry on where they were.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import dagster as dg

from pipelines.landing.ledger import Entry, read_ledgers
from pipelines.landing.source import ReadAhead, Runs
from pipelines.landing.workers import RARE_COLLECTIONS, forget_read_ahead, stop_workers
from pipelines.orchestration.automation import BUILD_JOB, build_keys, stale
from pipelines.orchestration.recovery import (
    fail_dead_runs,
    process_of,
    release_slots_of_dead_runs,
    remove_leftovers,
    runs_in_progress,
    this_process,
    wait_for_warehouse,
    writer_slot_holders,
)
from pipelines.settings import Settings
from pipelines.sources.registry import SOURCES
from pipelines.warehouse import warm_dbt
from pipelines.warehouse.dbt_assets import cchc_dbt_models, next_build_parse

# a full build rebuilds the incremental dbt models whole (dbt's --full-refresh)
FULL_REFRESH = {"ops": {cchc_dbt_models.op.name: {"config": {"full_refresh": True}}}}


class Work(dict[str, Runs]):
    """What a run would ingest: source name → its pending runs (partition → {file: content hash, or None
    when removed}), in the order of SOURCES; false when no source has any. `ledgers` holds the ledger
    each source's runs were planned from (source name → file → entry)."""

    def __init__(self, runs: Mapping[str, Runs], ledgers: Mapping[str, Mapping[str, Entry]]):
        super().__init__(runs)
        self.ledgers = dict(ledgers)

    def __bool__(self) -> bool:
        return any(self.values())


def pending_work(settings: Settings) -> Work:
    """Compare `raw/` with the ledgers of the warehouse (no run may be writing it)."""
    ledgers = dict(
        zip(
            [source.name for source in SOURCES],
            read_ledgers(settings.warehouse_path, [source.ledger for source in SOURCES]),
            strict=True,
        )
    )
    return Work({source.name: source.runs(settings, ledgers[source.name]) for source in SOURCES}, ledgers)


def recover(instance: dg.DagsterInstance, settings: Settings, echo: Callable[[str], None]) -> None:
    """Clear what killed runs left (recovery.py), saying what was cleared and what is waited for."""
    for run_id in release_slots_of_dead_runs(instance):
        echo(f"Freed the writer slot held or awaited by run {run_id}, whose process is gone")
    for run_id in fail_dead_runs(instance):
        echo(f"Marked run {run_id} failed: its process is gone")
    if not runs_in_progress(instance):
        for path in remove_leftovers(settings):
            echo(f"Removed {path.name}, left by an interrupted run")
    wait_for_warehouse(settings.warehouse_path, echo)


def _say_who_writes(instance: dg.DagsterInstance, echo: Callable[[str], None]) -> None:
    """Name the runs holding the writer slot the next run will wait for, if any."""
    for run_id in sorted(writer_slot_holders(instance)):
        run = instance.get_run_by_id(run_id)
        where = (process_of(run) or "the Dagster daemon or UI") if run else "an unknown process"
        echo(f"Waiting for run {run_id} ({where}) to free the warehouse writer slot")


def _with_ops(run_config: Mapping[str, Any], ops: Mapping[str, Any]) -> dict[str, Any]:
    """The caller's run config (loggers, ops) with more ops config: the files of an ingestion run, the
    full refresh of a full build."""
    return {**run_config, "ops": {**run_config.get("ops", {}), **ops["ops"]}}


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
    `full`, or the `build` selection of the build job). A full build is of everything: `full` with a
    selection is refused (it would have built the selection incrementally, saying nothing)."""
    if full and build is not None:
        raise ValueError("A full build rebuilds everything: it takes no selection.")
    recover(instance, settings, echo)
    # dbt is imported, and the parse the build starts from decoded, while the files are read
    warm_dbt.start(next_build_parse(settings))
    work = pending_work(settings)
    results = ingest(defs, instance, work, run_config=run_config, echo=echo)
    selection = build or (dg.AssetSelection.all() if full else stale(settings))
    if selection is None:
        echo("Nothing changed since the last publication: nothing to build")
        return results
    echo("Building the warehouse")
    if full:
        run_config = _with_ops(run_config or {}, FULL_REFRESH)
    results.append(build_warehouse(defs, instance, selection, run_config=run_config, echo=echo))
    return results


@contextlib.contextmanager
def _collecting_rarely() -> Iterator[None]:
    """Python's cycle collector, rarely, while runs ingest: each file a worker reads comes back as a
    record unpickled in this process and kept until its run writes it (its rows, as its share of its
    batch's frames). Every 700 new container objects set off a young collection, every tenth of those a
    middle one, and a full one (walking all that is kept and not frozen) whenever what is kept grew by
    a quarter. With 50,000 all three are about 70 times rarer (the older thresholds count the younger
    collections); the threshold is as it was after (ingestion runs one at a time in a process: `cchc
    run`, the bench). Nothing is frozen here: the imports already are (startup)."""
    threshold = gc.get_threshold()
    gc.set_threshold(RARE_COLLECTIONS, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


@_collecting_rarely()
def ingest(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    work: Work,
    *,
    run_config: Mapping[str, Any] | None = None,
    echo: Callable[[str], None] = lambda _: None,
) -> list[dg.ExecuteInProcessResult]:
    """Ingest what `work` holds: each source's pending runs (a plan file, a reporting period, the index
    folder), each handed the files the planner found."""
    results: list[dg.ExecuteInProcessResult] = []
    try:
        for source in SOURCES:
            runs = work.get(source.name, {})
            if not runs:
                continue
            files = sum(len(run) for run in runs.values())
            echo(f"Ingesting {files} file(s) of raw/{source.name} ({len(runs)} run(s))")
            source.register(instance, runs)
            job = defs.resolve_job_def(source.job.name)
            order = sorted(runs)
            read_ahead = source.read_ahead
            ledger = work.ledgers[source.name]
            if read_ahead:
                _read_ahead(defs, read_ahead, runs, order[:1], ledger)
            for number, partition in enumerate(order):
                if read_ahead:  # the next run's files are read while this one writes and Dagster records it
                    _read_ahead(defs, read_ahead, runs, order[number + 1 : number + 2], ledger)
                _say_who_writes(instance, echo)
                result = job.execute_in_process(
                    instance=instance,
                    partition_key=partition,
                    run_config=_with_ops(run_config or {}, source.run_config(runs[partition])),
                    tags=this_process(),
                    raise_on_error=False,
                )
                results.append(result)
                if read_ahead and not result.success:  # it may not have taken its files: read no more ahead
                    forget_read_ahead()
                    read_ahead = None
    finally:
        stop_workers()  # what was read ahead and never asked for is dropped; the build needs no readers
    return results


def _read_ahead(
    defs: dg.Definitions,
    read_ahead: ReadAhead,
    runs: Runs,
    partitions: list[str],
    ledger: Mapping[str, Entry],
) -> None:
    """Start reading the files of these runs of a source, with the settings its runs get and the ledger
    they were planned from."""
    for partition in partitions:
        read_ahead(defs.resources["settings"], runs[partition], ledger)


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
