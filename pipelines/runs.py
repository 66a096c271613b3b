"""Run the pipeline end to end: ingest new or changed raw files, then build the warehouse.

Used by `cchc run` and by the integration tests, so both exercise the same jobs a schedule or the
raw/plans sensor would launch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import dagster as dg

from pipelines.definitions import BUILD_JOB
from pipelines.plans.assets import files_to_ingest, ingest_plans_job, plan_files
from pipelines.reports.assets import (
    ingest_reports_job,
    pending_reports,
    read_ledger,
    report_periods,
    reports_dir,
)
from pipelines.settings import Settings


def run_pipeline(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    settings: Settings,
    *,
    run_config: Mapping[str, Any] | None = None,
    echo: Callable[[str], None] = lambda _: None,
) -> list[dg.ExecuteInProcessResult]:
    """Ingest each new or changed plan file (one run per file) and the new or changed reports (one run
    per reporting period), then build the warehouse."""
    pending = files_to_ingest(instance, settings.raw_dir / "plans")
    known = set(instance.get_dynamic_partitions(plan_files.name))
    instance.add_dynamic_partitions(plan_files.name, sorted(set(pending) - known))
    results: list[dg.ExecuteInProcessResult] = []
    ingest = defs.resolve_job_def(ingest_plans_job.name)
    for key in sorted(pending):
        echo(f"Ingesting plan {key}")
        results.append(
            ingest.execute_in_process(
                instance=instance, partition_key=key, run_config=run_config, raise_on_error=False
            )
        )
    # no run is writing now, so the warehouse itself is the ledger
    periods = pending_reports(reports_dir(settings.raw_dir), read_ledger(settings.warehouse_path))
    instance.add_dynamic_partitions(
        report_periods.name, sorted(set(periods) - set(instance.get_dynamic_partitions(report_periods.name)))
    )
    ingest_reports = defs.resolve_job_def(ingest_reports_job.name)
    for period, files in sorted(periods.items()):
        echo(f"Ingesting {len(files)} new, changed or removed report files for {period}")
        results.append(
            ingest_reports.execute_in_process(
                instance=instance, partition_key=period, run_config=run_config, raise_on_error=False
            )
        )
    results.append(
        defs.resolve_job_def(BUILD_JOB).execute_in_process(
            instance=instance, run_config=run_config, raise_on_error=False
        )
    )
    return results
