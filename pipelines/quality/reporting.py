"""A warning when a closed reporting period still misses reports: the agencies expected to report for
the last period whose due date has passed, and not counted in any report. Non-blocking: the build goes
on and publishes; the warning (and the chase list) says who to call."""

from __future__ import annotations

from datetime import date

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.settings import WAREHOUSE_POOL
from pipelines.warehouse.periods import last_due

SUBMISSIONS = dg.AssetKey(["main", "fact_report_submission"])


@dg.asset_check(
    asset=SUBMISSIONS,
    name="closed_period_reports_received",
    description="Every agency expected to report for the last period due has a counted report.",
    blocking=False,
    pool=WAREHOUSE_POOL,
)
def missing_reports_check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        period = last_due(conn, date.today())
        if period is None:
            return dg.AssetCheckResult(passed=True, description="No period is due yet.")
        missing = [
            agency
            for (agency,) in conn.execute(
                "select agency_key from main.fact_report_submission"
                " where period_key = ? and is_expected and compliance_status = 'missing' order by 1",
                [period],
            ).fetchall()
        ]
    return dg.AssetCheckResult(
        passed=not missing,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"{period}: {len(missing)} expected reports missing after the due date (see the chase list)"
            if missing
            else f"{period}: every expected report is in"
        ),
        metadata={
            "period": period,
            "missing": len(missing),
            "agencies": dg.MetadataValue.json(missing[:200]),
        },
    )
