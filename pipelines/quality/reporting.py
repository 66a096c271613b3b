"""Warnings on what agencies sent, for the people who follow it up. Non-blocking: the build goes on and
publishes; the warning says who to call or what to look at.

- closed_period_reports_received: the agencies expected to report for the last period whose due date
  has passed, and not counted in any report: none sent, the one sent returned by Sở Nội vụ, or sent
  after the books closed and not yet accepted (the chase list names them);
- figures_that_jump: figures that jump across periods (fact_report_value_jumps), by kind, for the
  reviewer."""

from __future__ import annotations

from datetime import date

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.settings import WAREHOUSE_POOL
from pipelines.warehouse.periods import last_due

SUBMISSIONS = dg.AssetKey(["main", "fact_report_submission"])
JUMPS = dg.AssetKey(["main", "fact_report_value_jumps"])


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
                "select agency_key from main.fact_report_submission where period_key = ? and is_expected"
                " and compliance_status in ('missing', 'returned', 'after_close') order by 1",
                [period],
            ).fetchall()
        ]
    return dg.AssetCheckResult(
        passed=not missing,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"{period}: {len(missing)} expected reports not counted after the due date (none sent, returned,"
            " or sent after the books closed: see the chase list)"
            if missing
            else f"{period}: every expected report is in"
        ),
        metadata={
            "period": period,
            "missing": len(missing),
            "agencies": dg.MetadataValue.json(missing[:200]),
        },
    )


@dg.asset_check(
    asset=JUMPS,
    name="figures_that_jump",
    description="No counted figure jumps across periods (a year-to-date fall, a leap, an outlier).",
    blocking=False,
    pool=WAREHOUSE_POOL,
)
def jumps_check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        kinds = conn.execute(
            "select jump_kind, count(*) from main.fact_report_value_jumps group by 1 order by 1"
        ).fetchall()
        keys = conn.execute(
            "select report_value_jump_key from main.fact_report_value_jumps order by 1 limit 200"
        ).fetchall()
    total = sum(count for _, count in kinds)
    return dg.AssetCheckResult(
        passed=total == 0,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"{total} figures jump across periods ({', '.join(f'{count} {kind}' for kind, count in kinds)}):"
            " see main.fact_report_value_jumps"
            if total
            else "no figure jumps across periods"
        ),
        metadata={"jumps": total, **dict(kinds), "keys": dg.MetadataValue.json([key for (key,) in keys])},
    )
