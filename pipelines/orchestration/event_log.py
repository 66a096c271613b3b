"""Dagster's SQLite event log (`.dagster/dagster.yaml`: `make dev`, `cchc run`, the daemon) with its
SQLAlchemy engines kept.

Dagster's own `SqliteEventLogStorage` makes an engine for every connection and disposes of it after: an
engine compiles each statement anew, so storing one event took 5.4 ms, against 1.75 ms with the engine
kept (`cchc bench`'s per-event figure, same machine). A build of the whole warehouse stores 864
events, one new report 293 (counted in the national workload's runs).

Everything else is Dagster's: the files (one database a run and the index, in `history/runs` of the
instance's folder, as without this class), the schema, the transactions. An engine holds an idle
connection or two to its file: the engines of the last few databases used are kept, the others disposed
of, so a long-lived process (the daemon, the UI) holds a few files open, not one a run. A database
removed or replaced by another process (`dagster run wipe`) is opened anew, as Dagster's storage would.
A process forked from one that kept engines makes its own and leaves the parent's alone (a SQLite
connection must not be used, nor closed, across a fork).

What a run writes shows in the UI as it runs: Dagster's SQLite storage learns of new events from the
run database's file changing, which a kept connection no longer makes happen on every event (a commit
goes to the write-ahead log, copied into the file only when the log is full or its last connection
closes); here the UI asks the database, as on PostgreSQL (`SqlPollingEventWatcher`: every 0.25 s while
events come, less often while none do).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from dagster._config import Field, StringSource
from dagster._core.event_api import EventHandlerFn
from dagster._core.storage.event_log.base import EventLogCursor
from dagster._core.storage.event_log.polling_event_watcher import SqlPollingEventWatcher
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import _event_logs_directory
from dagster._serdes import ConfigurableClassData

if TYPE_CHECKING:
    from dagster import DagsterInstance
    from sqlalchemy.engine import Connection, Engine

# the databases whose engines a process keeps: the index, the run being written and a few read
KEPT_ENGINES = 4
# engines a forked process inherited: never used there, and never closed (their connections are the
# parent's), so kept from the garbage collector
_INHERITED: list[Engine] = []


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` keeping an engine a database. Configured without a folder, it takes the
    instance's own (`history/runs` under the Dagster home, Dagster's default), known when the instance
    registers it: `DagsterInstance.from_config(path)` and `DAGSTER_HOME` find the same events."""

    def __init__(self, base_dir: str | None = None, inst_data: ConfigurableClassData | None = None):
        self._inst_data = inst_data
        self._engines: OrderedDict[str, tuple[Engine, int]] = OrderedDict()  # shard → (engine, inode)
        self._engines_of = os.getpid()
        self._polling: SqlPollingEventWatcher | None = None
        if base_dir is not None:
            super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls) -> dict[str, Any]:
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: dict[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(config_value.get("base_dir"), inst_data)

    def register_instance(self, instance: DagsterInstance) -> None:
        if not hasattr(self, "_base_dir"):  # no folder configured: the instance's
            super().__init__(_event_logs_directory(instance.root_directory), self._inst_data)
        super().register_instance(instance)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> Engine:
        if self._engines_of != os.getpid():  # forked: the parent's connections are not this process's
            _INHERITED.extend(engine for engine, _ in self._engines.values())
            self._engines, self._engines_of = OrderedDict(), os.getpid()
        engine, inode = self._engines.pop(shard, (None, None))
        if engine is not None and inode != self._inode(shard):  # removed or replaced since
            engine.dispose()
            self._initialized_dbs.discard(shard)
            engine = None
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect():  # the file exists from here
                inode = self._inode(shard)
        self._engines[shard] = (engine, inode)  # the most recently used last
        while len(self._engines) > KEPT_ENGINES:
            self._engines.popitem(last=False)[1][0].dispose()
        return engine

    def _inode(self, shard: str) -> int | None:
        try:
            return os.stat(self.path_for_shard(shard)).st_ino
        except FileNotFoundError:
            return None

    def _dispose_engines(self) -> None:
        with self._db_lock:
            engines = [engine for engine, _ in self._engines.values()]
            if self._engines_of == os.getpid():
                for engine in engines:
                    engine.dispose()
            else:  # a fork's, inherited: the parent's connections, left open
                _INHERITED.extend(engines)
            self._engines = OrderedDict()

    def watch(self, run_id: str, cursor: str | None, callback: EventHandlerFn) -> None:
        if cursor and EventLogCursor.parse(cursor).is_offset_cursor():
            raise ValueError("a run's events are watched from a storage id, not an offset")
        if self._polling is None:
            self._polling = SqlPollingEventWatcher(self)
        self._polling.watch_run(run_id, cursor, callback)

    def end_watch(self, run_id: str, handler: EventHandlerFn) -> None:
        if self._polling is not None:
            self._polling.unwatch_run(run_id, handler)

    def wipe(self) -> None:
        self._dispose_engines()  # before the run databases' files are removed
        super().wipe()

    def dispose(self) -> None:
        if self._polling is not None:  # the watching threads first: they use the engines
            self._polling.close()
            self._polling = None
        super().dispose()
        self._dispose_engines()
