"""`cchc bench run` and `cchc bench incremental`: the real pipeline over a generated workload, timed
per stage, beside the naive baseline and the read limit measured in the same invocation.

The workload's own folders are used: its seeds (CCHC_SEEDS), its raw files, a warehouse and a Dagster
instance under it. They are set in the environment before the definitions are imported, which is why
this module imports them inside its functions.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipelines.bench.measure import MemorySampler, into_memory, naive_baseline, read_limit
from pipelines.bench.workload import Workload, add_report
from pipelines.landing.workers import worker_count
from pipelines.settings import PROJECT_ROOT, RAW_ENV, SEEDS_ENV, WAREHOUSE_ENV, linked_seeds, load_settings

# Dagster's console logger says only what went wrong; dbt's lines go to the bench log
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
BUILD_STAGES = {
    "cchc_dbt_models": "dbt_build",
    "published_warehouse": "publish",
    "par_trend_extracts": "extracts",
}


def use_workload(workload: Workload) -> Path:
    """Point this process at the workload (before the definitions are imported); its warehouse dir."""
    os.environ.update(workload_environment(workload))
    return workload.root / "warehouse"


def workload_environment(workload: Workload) -> dict[str, str]:
    """The variables that point `cchc` at the workload: its seeds, raw files, warehouse and Dagster
    home (made when missing)."""
    return {
        SEEDS_ENV: linked_seeds(workload.seeds_dir),
        RAW_ENV: str(workload.raw_dir),
        WAREHOUSE_ENV: str(workload.root / "warehouse" / "cchc.duckdb"),
        "DAGSTER_HOME": str(local_home(workload.root / "dagster")),
    }


def local_home(home: Path) -> Path:
    """A Dagster home with the instance of `make dev` and `cchc run` (.dagster/dagster.yaml: SQLite)."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    return home


def _step_seconds(instance: Any, run_id: str) -> dict[str, float]:
    """Step key → seconds from its start to its end, from the run's event log."""
    import dagster as dg

    kinds = {
        dg.DagsterEventType.STEP_START,
        dg.DagsterEventType.STEP_SUCCESS,
        dg.DagsterEventType.STEP_FAILURE,
    }
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for entry in instance.all_logs(run_id, of_type=kinds):
        if entry.dagster_event.event_type == dg.DagsterEventType.STEP_START:
            started[entry.step_key] = entry.timestamp
        elif entry.step_key in started:
            seconds[entry.step_key] = entry.timestamp - started[entry.step_key]
    return seconds


def _build_stages(instance: Any, run_id: str, wall: float) -> dict[str, float]:
    """The build run's wall time split into dbt, quality suites, publication, extracts and what Dagster
    spends around the steps."""
    stages = dict.fromkeys([*BUILD_STAGES.values(), "gx_checks"], 0.0)
    for step, seconds in _step_seconds(instance, run_id).items():
        stage = BUILD_STAGES.get(step, "gx_checks" if "gx_" in step else "other_steps")
        stages[stage] = stages.get(stage, 0.0) + seconds
    stages["dagster_overhead"] = max(0.0, wall - sum(stages.values()))
    return {name: round(value, 2) for name, value in stages.items()}


def _raw_counts(database: Path) -> tuple[int, int]:
    with duckdb.connect(str(database), read_only=True) as conn:
        (files,) = conn.execute("select count(*) from raw_reports.report_submissions").fetchone()
        (rows,) = conn.execute("select count(*) from raw_reports.report_indicator_values").fetchone()
    return files, rows


def _report_files(workload: Workload) -> list[Path]:
    return sorted(path for path in (workload.raw_dir / "reports").rglob("*") if path.is_file())


def _rate(count: float, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def _side_by_side(root: Path, files: list[Path], baseline_files: int, ingest_rate: float) -> dict[str, Any]:
    """The naive baseline (on an even sample of `baseline_files` of the files: it reads ~20 a second)
    and the read limit (on all of them), measured now, and the ingestion rate as ratios of both."""
    sample = files[:: max(1, len(files) // baseline_files)][:baseline_files]
    into_memory(sample)
    baseline_s, baseline_rows = naive_baseline(sample, root / "baseline.duckdb")
    into_memory(files)
    limit_s = read_limit(files)
    baseline_rate, limit_rate = _rate(len(sample), baseline_s), _rate(len(files), limit_s)
    return {
        "baseline_files": len(sample),
        "baseline_rows": baseline_rows,
        "baseline_s": round(baseline_s, 2),
        "baseline_files_per_s": baseline_rate,
        "limit_s": round(limit_s, 2),
        "limit_files_per_s": limit_rate,
        "ingest_vs_baseline": round(ingest_rate / baseline_rate, 2) if baseline_rate else None,
        "ingest_vs_limit": round(ingest_rate / limit_rate, 3) if limit_rate else None,
    }


@dataclass
class Timed:
    """One pass of the pipeline as `cchc run` makes it, with the moments between its parts."""

    start: float
    planned: float
    ingested: float
    end: float
    work: Any
    succeeded: bool
    build_stages_s: dict[str, float]
    validated_rows: dict[str, int]  # suite → the rows its expectations saw
    memory: MemorySampler

    def seconds(self, since: float, until: float) -> float:
        return round(until - since, 2)


def _timed_pipeline(log: Path, *, full: bool) -> Timed:
    """Plan, ingest and build (everything, or what changed since the last publication), timed, with
    dbt's lines in `log`."""
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.orchestration.automation import stale
    from pipelines.orchestration.runs import build_warehouse, ingest, pending_work
    from pipelines.warehouse import warm_dbt
    from pipelines.warehouse.dbt_assets import next_build_parse

    settings = load_settings()
    with (
        MemorySampler(os.getpid()) as memory,
        log.open("w", encoding="utf-8") as out,
        contextlib.redirect_stdout(out),
        dg.DagsterInstance.get() as instance,
    ):
        start = time.time()
        warm_dbt.start(next_build_parse(settings))  # as `cchc run` does (orchestration.runs.run_pipeline)
        work = pending_work(settings)
        planned = time.time()
        ingested = ingest(defs, instance, work, run_config=QUIET)
        ingest_end = time.time()
        selection = dg.AssetSelection.all() if full else stale(settings)
        built = [] if selection is None else [build_warehouse(defs, instance, selection, run_config=QUIET)]
        end = time.time()
        stages = _build_stages(instance, built[0].run_id, end - ingest_end) if built else {}
    succeeded = all(result.success for result in [*ingested, *built])
    validated = _validated_rows(built[0]) if built else {}
    return Timed(start, planned, ingest_end, end, work, succeeded, stages, validated, memory)


def _validated_rows(result: Any) -> dict[str, int]:
    """Suite → the rows it validated in the build: every row, or those of the files it had not passed."""
    return {
        evaluation.check_name.removeprefix("gx_"): evaluation.metadata["validated_rows"].value
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name.startswith("gx_")
    }


def full_run(root: Path, *, baseline_files: int, log: Path) -> dict[str, Any]:
    """Build the workload's warehouse from nothing and time it; the figures."""
    workload = Workload(root)
    warehouse_dir = use_workload(workload)
    shutil.rmtree(warehouse_dir, ignore_errors=True)
    shutil.rmtree(root / "dagster" / "storage", ignore_errors=True)
    files = _report_files(workload)
    into_memory(files)  # in memory, as the limit will find them
    timed = _timed_pipeline(log, full=True)
    loaded_files, indicator_rows = _raw_counts(load_settings().warehouse_path)
    ingest_s = timed.seconds(timed.start, timed.ingested)
    return {
        "workload": workload.describe(),
        "runs_succeeded": timed.succeeded,
        "workers": worker_count(),
        "files": len(files),
        "files_loaded": loaded_files,
        "indicator_rows": indicator_rows,
        "ingest_s": ingest_s,
        "ingest_plan_s": timed.seconds(timed.start, timed.planned),  # hashing and grouping by period
        "ingest_runs": sum(len(runs) for runs in timed.work.values()),
        "ingest_files_per_s": _rate(len(files), ingest_s),
        "ingest_rows_per_s": _rate(indicator_rows, ingest_s),
        **_side_by_side(root, files, baseline_files, _rate(len(files), ingest_s)),
        "build_s": timed.seconds(timed.ingested, timed.end),
        "build_stages_s": timed.build_stages_s,
        "validated_rows": timed.validated_rows,
        "end_to_end_s": timed.seconds(timed.start, timed.end),
        "peak_rss_mb": timed.memory.peak_mb(),
        "peak_rss_mb_by_stage": {
            "ingest": timed.memory.peak_mb(timed.start, timed.ingested),
            "build": timed.memory.peak_mb(timed.ingested, timed.end),
        },
    }


def incremental_run(root: Path, *, baseline_files: int, log: Path) -> dict[str, Any]:
    """One new report into the workload's built warehouse until it is published; where the time goes."""
    workload = Workload(root)
    warehouse_dir = use_workload(workload)
    if not (warehouse_dir / "cchc_published.duckdb").exists():
        raise FileNotFoundError(f"No built warehouse in {warehouse_dir}: run `cchc bench run {root}` first.")
    new_file = add_report(workload)
    timed = _timed_pipeline(log, full=False)
    _, indicator_rows = _raw_counts(load_settings().published_path)
    pending = sum(len(files) for files in timed.work.get("reports", {}).values())
    ingest_s = timed.seconds(timed.start, timed.ingested)
    return {
        "workload": workload.describe(),
        "new_file": str(new_file.relative_to(workload.raw_dir)),
        "runs_succeeded": timed.succeeded,
        "files_pending": pending,
        "ingest_runs": sum(len(runs) for runs in timed.work.values()),
        "files": len(_report_files(workload)),
        "indicator_rows": indicator_rows,
        "plan_s": timed.seconds(timed.start, timed.planned),
        "ingest_s": ingest_s,
        "ingest_files_per_s": _rate(pending, ingest_s),
        **_side_by_side(root, [new_file], 1, _rate(pending, ingest_s)),
        "build_s": timed.seconds(timed.ingested, timed.end),
        "build_stages_s": timed.build_stages_s,
        "validated_rows": timed.validated_rows,
        "incremental_s": timed.seconds(timed.start, timed.end),
        "end_to_end_s": timed.seconds(timed.start, timed.end),
        "peak_rss_mb": timed.memory.peak_mb(),
    }
