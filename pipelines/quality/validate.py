"""Run one suite on the rows of its table, as they are in the warehouse, and say what failed.

The rows are read straight from DuckDB into pandas (GX 1.x has no DuckDB datasource, and its SQL route
through duckdb-engine has open bugs); the batch is the table the next asset reads, or for a suite with
`changed_rows` the rows of the files it has not passed yet. The row count, an aggregate, is
checked in SQL on the whole table against the same table in the last published copy: the previous good
build.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
from great_expectations.data_context import FileDataContext
from great_expectations.expectations.metadata_types import FailureSeverity

from pipelines.quality.context import context_data_docs_dir
from pipelines.quality.suites import Suite

_SAMPLE_ROWS = 5


@dataclass(frozen=True)
class Failure:
    expectation: str
    column: str | None
    problem: str
    observed: str
    sample: list[dict[str, Any]] = field(default_factory=list)
    is_warning: bool = False  # the expectation's GX severity is "warning": shown, does not stop the pipeline

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        rows = "".join(f"\n      {row}" for row in self.sample)
        label = "WARNING" if self.is_warning else "FAILED"
        return f"{label} {self.expectation}{where}: {self.problem} (observed: {self.observed}){rows}"


ROW_COUNT_DRIFT = "row_count_drift"
_DRIFT_PROBLEM = (
    "the row count moved outside its bounds against the last published build (row_count_drift): a warning "
    "to look at, not a stop, since removing or resubmitting files legitimately shrinks tables"
)


@dataclass(frozen=True)
class SuiteResult:
    suite: Suite
    row_count: int
    previous_row_count: int | None
    evaluated: int
    failures: tuple[Failure, ...]
    validated_rows: int  # the rows the expectations saw: all, or those of the files changed since

    @property
    def success(self) -> bool:
        """No critical expectation failed (warnings are reported, not failures)."""
        return not any(not failure.is_warning for failure in self.failures)

    def describe(self) -> str:
        rows = f"{self.row_count} rows"
        if self.validated_rows != self.row_count:
            rows += f", {self.validated_rows} of them from files not checked before"
        head = (
            f"{self.suite.name} ({self.suite.table}, {rows}): "
            f"{self.evaluated - len(self.failures)}/{self.evaluated} expectations met"
        )
        return "\n".join([head, *(f"  {failure.describe()}" for failure in self.failures)])


def previous_row_count(published_path: Path, table: str) -> int | None:
    """Rows of `table` in the last published copy; None before the first publication."""
    if not published_path.exists():
        return None
    with duckdb.connect(str(published_path), read_only=True) as conn:
        schema, name = table.split(".")
        found = conn.sql(
            "select count(*) from duckdb_tables() where schema_name = $s and table_name = $n "
            "union all select count(*) from duckdb_views() where schema_name = $s and view_name = $n",
            params={"s": schema, "n": name},
        ).fetchall()
        if not any(count for (count,) in found):
            return None
        return conn.sql(f"select count(*) from {table}").fetchall()[0][0]


def row_count_drift(suite: Suite, rows: int, previous: int | None) -> Failure | None:
    """A warning when the table's row count left the suite's bounds around the last published count."""
    if previous is None:
        return None
    low = math.ceil(previous * suite.min_ratio)
    high = None if suite.max_ratio is None else math.floor(max(previous, 1) * suite.max_ratio)
    if rows >= low and (high is None or rows <= high):
        return None
    bounds = f"{low}-{high}" if high is not None else f"at least {low}"
    observed = f"{rows} rows, {previous} in the last published build (bounds {bounds})"
    return Failure(ROW_COUNT_DRIFT, None, _DRIFT_PROBLEM, observed, is_warning=True)


def _checkpoint(context: FileDataContext, suite: Suite) -> gx.Checkpoint:
    expectations = gx.ExpectationSuite(name=suite.name, expectations=[dict(e) for e in suite.expectations])
    stored = context.suites.add_or_update(expectations)
    source = context.data_sources.add_or_update_pandas("warehouse")
    asset = next((a for a in source.assets if a.name == suite.name), None)
    asset = asset or source.add_dataframe_asset(name=suite.name)
    batch = next(iter(asset.batch_definitions), None) or asset.add_batch_definition_whole_dataframe(
        "whole_table"
    )
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=stored)
    )
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=suite.name,
            validation_definitions=[definition],
            actions=[],  # Data Docs are built once per run (quality.context.build_data_docs), not per suite
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": list(suite.key)},
        )
    )


def _plain(value: Any) -> Any:
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and math.isnan(value) else value


def _sample(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The first failing rows, named by the suite's key columns (GX reports them with the value)."""
    rows = [row for row in result.get("unexpected_index_list") or [] if isinstance(row, dict)]
    return [{name: _plain(value) for name, value in row.items()} for row in rows[:_SAMPLE_ROWS]]


def _failure(outcome: Any) -> Failure:
    config = outcome.expectation_config
    result = outcome.result or {}
    column = config.kwargs.get("column") or (
        f"{config.kwargs['column_A']} vs {config.kwargs['column_B']}" if "column_A" in config.kwargs else None
    )
    if "observed_value" in result:
        observed = str(result["observed_value"])
    else:
        observed = f"{result.get('unexpected_count', '?')} of {result.get('element_count', '?')} rows"
        if result.get("partial_unexpected_list"):
            observed += f", e.g. {result['partial_unexpected_list'][:_SAMPLE_ROWS]}"
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        observed = f"error: {outcome.exception_info.get('exception_message')}"
    problem = (config.meta or {}).get("problem", "")
    is_warning = config.severity == FailureSeverity.WARNING
    return Failure(config.type, column, problem, observed, _sample(result), is_warning)


def _forget_previous_validations(context: FileDataContext, suite: Suite) -> None:
    """Keep one validation per suite, the latest: Data Docs shows where the warehouse stands, and its
    index does not grow (and slow) with every build."""
    store = context.validation_results_store
    for key in store.list_keys():
        if key.expectation_suite_identifier.name == suite.name:
            store.remove_key(key)
    shutil.rmtree(context_data_docs_dir(context) / "validations" / suite.name, ignore_errors=True)


def run_suite(
    context: FileDataContext,
    conn: duckdb.DuckDBPyConnection,
    suite: Suite,
    previous: int | None,
    changed_files: str | None = None,
) -> SuiteResult:
    """Validate the table's rows: all of them, or for a suite with `changed_rows` those of the files in
    the relation `changed_files` (a name on `conn`, see quality.changed)."""
    frame = conn.sql(suite.rows_of(suite.column_query, changed_files)).df()
    (rows,) = conn.sql(f"select count(*) from {suite.table}").fetchall()[0]
    sliced = suite.rows_of(f"select * from {suite.table}", changed_files)
    (validated,) = conn.sql(f"select count(*) from ({sliced})").fetchall()[0] if changed_files else (rows,)
    failures: list[Failure] = []
    if len(frame) != validated:
        failures.append(
            Failure(
                "batch_query_keeps_every_row",
                None,
                "the suite's batch_query must validate every row of the table",
                f"{len(frame)} rows read, {validated} to validate in {suite.table}",
            )
        )
    checkpoint = _checkpoint(context, suite)
    _forget_previous_validations(context, suite)
    run = checkpoint.run(batch_parameters={"dataframe": frame})
    (validation,) = run.run_results.values()
    failures += [_failure(outcome) for outcome in validation.results if not outcome.success]
    drift = row_count_drift(suite, rows, previous)
    failures += [drift] if drift else []
    evaluated = len(validation.results) + 2  # the batch holds every row it should; the row count
    return SuiteResult(suite, rows, previous, evaluated, tuple(failures), validated)
