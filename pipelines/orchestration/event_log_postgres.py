"""Dagster's PostgreSQL event log (`deploy/dagster.yaml`: the server deployment) with one connection kept.

dagster-postgres opens a new connection to the server for every event and closes it after, so as not to
hold connections per instance; a connection is a server process started and authenticated: 8.2-8.3 ms an
event, against 2.2-2.3 ms on a connection kept (`cchc bench events`, 500 events, the project's cluster).
This storage keeps one connection a process, as Dagster's webserver already does for itself
(`optimize_for_webserver`), and more only while threads of the process write at once (closed when they
are done). The processes of one machine (daemon, webserver, code server, run workers: about ten) stay
far under the server's 100 connections. A kept connection the server closed (the cluster restarted)
is noticed before use and opened again; a forked process opens its own.

Everything else is dagster-postgres's: tables, statements, the run and schedule storages beside it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

from dagster._serdes import ConfigurableClassData
from dagster_postgres.event_log import PostgresEventLogStorage
from dagster_postgres.utils import create_pg_engine, get_token_provider_from_config, pg_url_from_config
from sqlalchemy.engine import Connection

# threads of one process writing at once beyond the kept connection: opened for them, closed after
EXTRA_CONNECTIONS = 8
RECYCLE_SECONDS = 3600


class PooledPostgresEventLogStorage(PostgresEventLogStorage):
    """`PostgresEventLogStorage` keeping one connection a process; configured as it is."""

    def __init__(
        self,
        postgres_url: str,
        should_autocreate_tables: bool = True,
        inst_data: ConfigurableClassData | None = None,
        token_provider: Any = None,
    ):
        self._engine_of = os.getpid()  # the tables are made, when missing, on Dagster's engine
        super().__init__(postgres_url, should_autocreate_tables, inst_data, token_provider)
        self._keep_a_connection()

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledPostgresEventLogStorage:
        return cls(
            inst_data=inst_data,
            postgres_url=pg_url_from_config(config_value),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            token_provider=get_token_provider_from_config(config_value),
        )

    def _keep_a_connection(self) -> None:
        self._engine.dispose()
        self._engine = create_pg_engine(
            self.postgres_url,
            self._token_provider,
            isolation_level="AUTOCOMMIT",
            pool_size=1,
            max_overflow=EXTRA_CONNECTIONS,
            pool_recycle=RECYCLE_SECONDS,
            pool_pre_ping=True,  # the server restarted since: open another
        )
        self._engine_of = os.getpid()

    def _connect(self) -> AbstractContextManager[Connection]:
        if self._engine_of != os.getpid():  # forked: the parent's connection is not this process's
            self._engine.dispose(close=False)
            self._keep_a_connection()
        return super()._connect()

    def optimize_for_webserver(self, statement_timeout: int, pool_recycle: int, max_overflow: int) -> None:
        self._engine.dispose()  # the webserver's engine (a kept connection, a statement timeout) instead
        super().optimize_for_webserver(statement_timeout, pool_recycle, max_overflow)

    def dispose(self) -> None:
        super().dispose()
        if self._engine_of == os.getpid():
            self._engine.dispose()
