"""Each expectation suite as a blocking Dagster asset check on the table it guards.

The check validates the table in the warehouse right after dbt has built it (a suite with `changed_rows`:
the rows of the files it has not passed yet, quality.changed), in the quality worker (quality.worker):
the build's process reads the rows, GX runs beside it. A failure stops what is
downstream of that table outside dbt (the published copy BI tools read, the leadership extracts), so
bad rows never leave the pipeline. Inside `dbt build`, dbt's own tests play that part.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.quality.batch import previous_row_count
from pipelines.quality.changed import changed_files, note_validated
from pipelines.quality.context import data_docs_index
from pipelines.quality.suites import Suite, all_suites
from pipelines.quality.worker import QualityWorker
from pipelines.settings import WAREHOUSE_POOL, Settings

if TYPE_CHECKING:
    from pipelines.quality.results import SuiteResult


def check_metadata(result: SuiteResult, docs_index: str) -> dict[str, dg.MetadataValue | int | str]:
    rows = [
        f"| {failure.expectation} | {failure.column or ''} | {failure.problem} | {failure.observed} |"
        for failure in result.failures
    ]
    return {
        "suite": dg.MetadataValue.path(str(result.suite.path)),
        "table": result.suite.table,
        "rows": result.row_count,
        "validated_rows": result.validated_rows,
        "previous_published_rows": result.previous_row_count
        if result.previous_row_count is not None
        else "none",
        "expectations": result.evaluated,
        "failed": len(result.failures),
        "failures": dg.MetadataValue.md(
            "\n".join(["| expectation | column | problem | observed |", "|---|---|---|---|", *rows])
            if rows
            else "all expectations met"
        ),
        "failing_rows_sample": dg.MetadataValue.json(
            {
                failure.expectation + (f" ({failure.column})" if failure.column else ""): failure.sample
                for failure in result.failures
            }
        ),
        "data_docs": dg.MetadataValue.path(docs_index),
    }


def suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(suite.asset_key_path),
        name=f"gx_{suite.name}",
        description=f"Great Expectations suite expectations/{suite.path.name} on {suite.table}.",
        blocking=suite.blocking,
        pool=WAREHOUSE_POOL,
    )
    def _check(duckdb: DuckDBResource, settings: Settings, quality: QualityWorker) -> dg.AssetCheckResult:
        previous = previous_row_count(settings.published_path, suite.table)
        with duckdb.get_connection() as conn, changed_files(conn, suite) as files:
            result = quality.run_suite(conn, suite, previous, files)
            if result.success:
                note_validated(conn, suite, files)
        return dg.AssetCheckResult(
            # a warning (a failed warning-level expectation, or the row count's drift) shows, does not block
            passed=not result.failures,
            severity=dg.AssetCheckSeverity.ERROR if not result.success else dg.AssetCheckSeverity.WARN,
            description=result.describe(),
            metadata=check_metadata(result, str(data_docs_index(settings.warehouse_dir))),
        )

    return _check


gx_checks = [suite_check(suite) for suite in all_suites()]


_LABELS = {dg.AssetCheckSeverity.WARN: "Warning", dg.AssetCheckSeverity.ERROR: "Failed"}


def describe_evaluations(results: list[dg.ExecuteInProcessResult], docs_index: str) -> str:
    """What the suites said in these runs, for the `cchc run` summary."""
    every = [evaluation for result in results for evaluation in result.get_asset_check_evaluations()]
    evaluations = [evaluation for evaluation in every if evaluation.check_name.startswith("gx_")]
    # the other checks: a closed period that misses reports, figures that jump (warnings), a table's
    # dbt tests (failed, or a warning when the worst of them warns)
    warnings = [
        f"{_LABELS[evaluation.severity]}: {evaluation.description}"
        for evaluation in every
        if not evaluation.check_name.startswith("gx_") and not evaluation.passed
    ]
    if not evaluations:
        return "\n".join(["Data quality: no suite ran.", *warnings])
    failed = [evaluation for evaluation in evaluations if not evaluation.passed]
    errors = [evaluation for evaluation in failed if evaluation.severity == dg.AssetCheckSeverity.ERROR]
    warned, passed = len(failed) - len(errors), len(evaluations) - len(errors)
    lines = [
        f"Data quality (Great Expectations): {passed}/{len(evaluations)} suites passed"
        + (f", {warned} with warnings." if warned else ".")
    ]
    lines += [evaluation.description or evaluation.check_name for evaluation in failed]
    lines += warnings
    lines.append(f"Data Docs: {docs_index}")
    return "\n".join(lines)
