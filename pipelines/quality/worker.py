"""Great Expectations in a process of its own, beside the build.

Importing GX takes about 2.5 s: paid in the build's process, it came after dbt, on the path of every
publication (a new report into the national warehouse: GX 3.7-3.9 s of a 23 s build). Imported on a
thread of the build's process, it broke a build: Dagster's thread used SQLAlchemy while GX's import was
half-way through it (`partially initialized module 'sqlalchemy.orm.exc'`). So a spawned worker imports
it as soon as a run that validates starts (the resource's setup, before dbt runs), on the other core,
which dbt's one Python thread mostly leaves idle in a small build, and is kept for the life of the
process, as the file readers' pool is (landing.workers).

The build's process writes each suite's batch to a Parquet file (quality.batch), the worker validates it
and stores the validation in the warehouse's GX context; Data Docs are built by the same worker, from
those validations. What the worker sends back is plain data (quality.results) or, when it failed, a
RuntimeError carrying its traceback as text: unpickling a GX exception would import GX in the build's
process, on the pool's thread. A worker that dies fails the call waiting on it with a reason; the next
call starts another. The worker ends with the process that started it, even one killed with SIGKILL.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import dagster as dg
import duckdb

from pipelines.children import end_with_parent
from pipelines.quality.batch import Batch, batch_file, write_batch
from pipelines.quality.suites import Suite

if TYPE_CHECKING:
    from pipelines.quality.results import SuiteResult

Result = TypeVar("Result")


class QualityWorkerDied(RuntimeError):
    pass


@cache
def _worker() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=end_with_parent
    )


def _plain_errors(function: Callable[..., Result]) -> Callable[..., Result]:
    @wraps(function)
    def call(*arguments):
        try:
            return function(*arguments)
        except BaseException:
            raise RuntimeError(f"the quality worker failed:\n{traceback.format_exc()}") from None

    return call


@_plain_errors
def _prepare() -> None:
    import pipelines.quality.validate  # noqa: F401  (GX with it)


@_plain_errors
def _validate(warehouse_dir: Path, suite: Suite, batch: Batch, previous: int | None) -> SuiteResult:
    from pipelines.quality.validate import validate

    return validate(warehouse_dir, suite, batch, previous)


@_plain_errors
def _build_docs(warehouse_dir: Path) -> Path:
    from pipelines.quality.context import build_data_docs

    return build_data_docs(warehouse_dir)


def _submit(function, *arguments) -> Future:
    try:
        return _worker().submit(function, *arguments)
    except (BrokenProcessPool, RuntimeError):  # died since the last call: a new one
        _worker.cache_clear()
        return _worker().submit(function, *arguments)


def _wait(future: Future[Result], what: str) -> Result:
    try:
        return future.result()
    except BrokenProcessPool as error:
        _worker.cache_clear()
        raise QualityWorkerDied(f"the quality worker process died while {what}") from error


def prepare() -> None:
    """Start the worker on importing GX; returns at once. Only the import: the context and the suites'
    checkpoints, which write files under `gx/`, are made by the first validation, inside the writer slot
    (another run's worker may be reading them); an import that fails fails again, with its reason, in
    the validation that needs it."""
    _submit(_prepare)


def run_suite(
    warehouse_dir: Path,
    conn: duckdb.DuckDBPyConnection,
    suite: Suite,
    previous: int | None,
    changed_files: str | None = None,
) -> SuiteResult:
    """quality.validate.run_suite, validated in the worker: the rows of the table (or of the files in
    the relation `changed_files` on `conn`) read here, the verdict given there."""
    with batch_file(warehouse_dir, suite) as path:
        batch = write_batch(conn, suite, path, changed_files)
        return _wait(_submit(_validate, warehouse_dir, suite, batch, previous), f"validating {suite.name}")


def build_data_docs(warehouse_dir: Path) -> Path:
    """quality.context.build_data_docs, in the worker that stored the validations; the index page."""
    return _wait(_submit(_build_docs, warehouse_dir), "building Data Docs")


class QualityWorker(dg.ConfigurableResource):
    """The suites' checks validate through this resource: the worker is set to work as a run that
    validates starts, so that GX is ready when dbt has built the tables."""

    warehouse_dir: str

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        prepare()

    def run_suite(
        self, conn: duckdb.DuckDBPyConnection, suite: Suite, previous: int | None, changed_files: str | None
    ) -> SuiteResult:
        return run_suite(Path(self.warehouse_dir), conn, suite, previous, changed_files)
