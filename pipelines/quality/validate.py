"""Run one suite on a batch of its table's rows (quality.batch) and say what failed.

The rows are validated in pandas (GX 1.x has no DuckDB datasource, and its SQL route through
duckdb-engine has open bugs). This module imports GX: a build runs it in the quality worker
(quality.worker), `cchc check` and the tests in their own process (run_suite).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.data_context import FileDataContext
from great_expectations.expectations.metadata_types import FailureSeverity

from pipelines.quality.batch import Batch, write_batch
from pipelines.quality.context import context_data_docs_dir, quality_context
from pipelines.quality.results import Failure, SuiteResult, row_count_drift
from pipelines.quality.suites import Suite

_SAMPLE_ROWS = 5


DATASOURCE = "warehouse"
# the checkpoint of each suite, made once per context and suite definition: making them again for every
# validation wrote the context's files five times a suite (0.3-0.4 s of a build of 11 suites)
_checkpoints: dict[tuple[int, str], gx.Checkpoint] = {}


def _checkpoint(context: FileDataContext, suite: Suite) -> gx.Checkpoint:
    definition = json.dumps([suite.name, suite.expectations, suite.key], sort_keys=True, default=str)
    made = _checkpoints.get((id(context), definition))
    if made is not None:
        return made
    expectations = gx.ExpectationSuite(name=suite.name, expectations=[dict(e) for e in suite.expectations])
    stored = context.suites.add_or_update(expectations)
    # the one datasource holds every suite's asset: found, not made again (which would drop the others')
    sources = context.data_sources.all()
    source = sources[DATASOURCE] if DATASOURCE in sources else context.data_sources.add_pandas(DATASOURCE)
    # get_asset ties the asset to this datasource, which knows the context (`source.assets` may not)
    if suite.name in source.get_asset_names():
        asset = source.get_asset(suite.name)
    else:
        asset = source.add_dataframe_asset(name=suite.name)
    batch = next(iter(asset.batch_definitions), None) or asset.add_batch_definition_whole_dataframe(
        "whole_table"
    )
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=stored)
    )
    made = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=suite.name,
            validation_definitions=[validation],
            actions=[],  # Data Docs are built once per run (quality.context.build_data_docs), not per suite
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": list(suite.key)},
        )
    )
    _checkpoints[(id(context), definition)] = made
    return made


def _plain(value: Any) -> Any:
    """A value of a failing row as JSON and the build's process take it: missing (NaN, NaT, NA) as None,
    a date or time as ISO text, a numpy number as Python's (a pandas Timestamp made the check's
    metadata fail, and would have the build's process import pandas to read it)."""
    if isinstance(value, list | tuple | dict):
        return value
    if pd.isna(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


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


def validate(warehouse_dir: Path, suite: Suite, batch: Batch, previous: int | None) -> SuiteResult:
    """The suite's verdict on `batch`, with the table's row count held against `previous`, the count
    in the last published copy; the validation is stored in the context of `warehouse_dir`."""
    context = quality_context(warehouse_dir)
    frame = batch.frame()
    failures: list[Failure] = []
    if len(frame) != batch.to_validate:
        failures.append(
            Failure(
                "batch_query_keeps_every_row",
                None,
                "the suite's batch_query must validate every row of the table",
                f"{len(frame)} rows read, {batch.to_validate} to validate in {suite.table}",
            )
        )
    checkpoint = _checkpoint(context, suite)
    _forget_previous_validations(context, suite)
    try:
        run = checkpoint.run(batch_parameters={"dataframe": frame})
    finally:
        # the datasource's engine, kept with the checkpoint, would hold every suite's last frame (the
        # 2.6 million report rows among them) for the life of the process
        batches = checkpoint.validation_definitions[0].data.data_asset.datasource.get_execution_engine()
        batches.batch_manager.reset_batch_cache()
        batches.batch_manager.batch_data_cache.clear()
    (validation,) = run.run_results.values()
    failures += [_failure(outcome) for outcome in validation.results if not outcome.success]
    drift = row_count_drift(suite, batch.row_count, previous)
    failures += [drift] if drift else []
    evaluated = len(validation.results) + 2  # the batch holds every row it should; the row count
    return SuiteResult(suite, batch.row_count, previous, evaluated, tuple(failures), batch.to_validate)


def run_suite(
    warehouse_dir: Path,
    conn: duckdb.DuckDBPyConnection,
    suite: Suite,
    previous: int | None,
    changed_files: str | None = None,
) -> SuiteResult:
    """Validate the table's rows in this process (`cchc check`): all of them, or for a suite with
    `changed_rows` those of the files in the relation `changed_files` (a name on `conn`)."""
    with tempfile.TemporaryDirectory(prefix="cchc-quality-") as scratch:
        batch = write_batch(conn, suite, Path(scratch) / "batch.parquet", changed_files)
        return validate(warehouse_dir, suite, batch, previous)
