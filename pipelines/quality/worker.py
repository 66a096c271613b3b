"""Great Expectations in a process of its own, beside the build.

Importing GX takes about 3 s of CPU: paid in the build's process, it came after dbt, on the path of every
publication (a new report into the national warehouse: GX 3.7-3.9 s of a 23 s build). Imported on a
thread of the build's process, it broke a build: Dagster's thread used SQLAlchemy while GX's import was
half-way through it (`partially initialized module 'sqlalchemy.orm.exc'`). So a process of this user's
that has imported GX already (quality.server: one per machine and version of the code, started by the
first run that validates) forks a worker for this process as a run that validates starts (the
resource's setup, before dbt runs); the worker is kept for the life of the process, as the file
readers' pool is (landing.workers).

The build's process writes each suite's batch to a Parquet file (quality.batch), the worker validates it
and stores the validation in the warehouse's GX context; Data Docs are built by the same worker, from
those validations. What the worker sends back is plain data (quality.results) or, when it failed, a
RuntimeError carrying its traceback as text: unpickling a GX exception would import GX in the build's
process. Calls are answered one after the other. A worker that dies fails the call waiting on it with a
reason; the next call gets another. The worker ends with the process it serves, even one killed with
SIGKILL.
"""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import duckdb

from pipelines import sockets
from pipelines.quality.batch import batch_file, write_batch
from pipelines.quality.suites import Suite

if TYPE_CHECKING:
    from pipelines.quality.results import SuiteResult

# how long a call waits for a server just started to listen (it binds before importing GX)
_STARTING_SECONDS = 30


class QualityWorkerDied(RuntimeError):
    pass


def server_address() -> str:
    """Where this code's quality server listens (sockets.server_address)."""
    return sockets.server_address("quality")


class _Worker:
    """This process's connection to its worker; `pid` the worker's."""

    def __init__(self, connection):
        self.connection = connection
        caller = {"environment": dict(os.environ), "folder": _folder(), "umask": sockets.current_umask()}
        streams = [_open_or_null(fd) for fd in (1, 2)]  # what it prints goes where this process's does
        try:
            sockets.send_message(connection, pickle.dumps(caller), fds=streams)
        finally:
            for fd, stream in zip((1, 2), streams, strict=True):
                if stream != fd:
                    os.close(stream)
        self.pid: int | None = None

    def call(self, name: str, arguments: tuple, what: str):
        if self.pid is None:  # the server forks once it has imported GX: a stuck one is told
            self.connection.settimeout(_STARTING_SECONDS * 4)
            try:
                self.pid = self._receive(what)
            except TimeoutError as error:
                raise QualityWorkerDied(f"the quality server did not answer while {what}") from error
            self.connection.settimeout(None)
        try:
            sockets.send_message(self.connection, pickle.dumps((name, arguments)))
        except OSError as error:
            raise QualityWorkerDied(f"the quality worker process died while {what}") from error
        outcome, value = self._receive(what)
        if outcome == "error":
            raise RuntimeError(value)
        return value

    def _receive(self, what: str):
        try:
            message = sockets.receive_message(self.connection)
        except OSError:
            message = None
        if message is None:
            raise QualityWorkerDied(f"the quality worker process died while {what}")
        return pickle.loads(message[0])


def _folder() -> str:
    """This process's folder, or / when it has been removed."""
    try:
        return os.getcwd()
    except OSError:
        return "/"


def _open_or_null(fd: int) -> int:
    """`fd`, or a new descriptor of /dev/null when this process has closed it."""
    try:
        os.fstat(fd)
    except OSError:
        return os.open(os.devnull, os.O_WRONLY)
    return fd


_lock = threading.Lock()
_worker: _Worker | None = None


def _connect(wait: bool) -> _Worker | None:
    """This process's worker: connected to the server (started when none listens); when it has only
    just been started and `wait` is false, None."""
    global _worker
    if _worker is None:
        seconds = _STARTING_SECONDS if wait else 0
        connection = sockets.connected_or_started("pipelines.quality.server", server_address(), seconds)
        if connection is not None:
            try:
                _worker = _Worker(connection)
            except OSError:  # the server went meanwhile (idle): the next call starts another
                connection.close()
    return _worker


def _call(name: str, arguments: tuple, what: str):
    global _worker
    with _lock:
        worker = _connect(wait=True)
        if worker is None:
            raise QualityWorkerDied(f"the quality server did not start within {_STARTING_SECONDS} s")
        try:
            return worker.call(name, arguments, what)
        except QualityWorkerDied:
            worker.connection.close()
            _worker = None
            raise


def worker_pid() -> int | None:
    """The pid of this process's worker, once it has answered."""
    return _worker.pid if _worker is not None else None


def prepare() -> None:
    """Get this process's worker ready; returns at once: the server is started when none runs (it
    imports GX meanwhile). Only that: the context and the suites' checkpoints, which write files under
    `gx/`, are made by the first validation, inside the writer slot (another run's worker may be reading
    them)."""
    with _lock:
        _connect(wait=False)


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
        return _call("validate", (warehouse_dir, suite, batch, previous), f"validating {suite.name}")


def build_data_docs(warehouse_dir: Path) -> Path:
    """quality.context.build_data_docs, in the worker that stored the validations; the index page."""
    return _call("build_docs", (warehouse_dir,), "building Data Docs")


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
