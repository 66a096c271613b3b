"""The server deployment's event log (deploy/dagster.yaml) on a real PostgreSQL cluster: the tables and
rows of dagster-postgres, one connection kept a process, more only while threads write at once, a new
one after the server restarted, and a forked process's own."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from unittest import mock

import dagster as dg
import psycopg2
import pytest

from pipelines.orchestration.event_log_postgres import PooledPostgresEventLogStorage
from pipelines.orchestration.postgres import Cluster, prepare_home, temporary_cluster


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with temporary_cluster() as started:
        yield started


@pytest.fixture()
def deployed(cluster: Cluster, tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    """The server deployment's instance (deploy/dagster.yaml), on a database emptied for the test."""
    with closing(psycopg2.connect(cluster.url)) as conn, conn, conn.cursor() as cursor:
        cursor.execute("drop schema public cascade; create schema public")
    environment = prepare_home(tmp_path / "dagster", cluster)
    with mock.patch.dict(os.environ, environment), dg.DagsterInstance.get() as instance:
        yield instance


def _held(cluster: Cluster) -> int:
    """Connections open to the database but this check's own (the test's process is its only client)."""
    query = "select count(*) from pg_stat_activity where datname = 'dagster' and pid <> pg_backend_pid()"
    with closing(psycopg2.connect(cluster.url)) as conn, conn.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]


def _until_one_held(cluster, seconds: float = 10) -> bool:
    """One connection held, within `seconds` (the count's own connection's backend, just closed, may
    still be listed by the next count: the last count decides)."""
    deadline = time.monotonic() + seconds
    while (held := _held(cluster)) != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    return held == 1


def _report(instance: dg.DagsterInstance, name: str, times: int = 1) -> None:
    for _ in range(times):
        instance.report_runless_asset_event(dg.AssetMaterialization(name))


def _count(instance: dg.DagsterInstance, name: str) -> int:
    return len(instance.fetch_materializations(dg.AssetKey(name), limit=1000).records)


def test_one_connection_is_kept_and_dagster_postgres_reads_what_it_wrote(deployed, cluster, tmp_path):
    assert isinstance(deployed.event_log_storage, PooledPostgresEventLogStorage)
    _report(deployed, "plans", 20)
    assert _held(cluster) == 1  # dagster-postgres's own would hold none between events
    writers = [threading.Thread(target=_report, args=(deployed, "reports", 25)) for _ in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert _count(deployed, "reports") == 100
    # those opened for the threads closed after (a backend leaves pg_stat_activity once it has exited)
    assert _until_one_held(cluster)
    # dagster-postgres's own storage, on the same database, reads the same events
    stock = tmp_path / "stock"
    stock.mkdir()
    (stock / "dagster.yaml").write_text(
        "storage:\n  postgres:\n    postgres_url:\n      env: CCHC_DAGSTER_PG_URL\n", encoding="utf-8"
    )
    with dg.DagsterInstance.from_config(str(stock)) as instance:
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert _count(instance, "plans") == 20 and _count(instance, "reports") == 100


def test_after_the_server_restarted_and_in_a_forked_process_events_are_stored(deployed, cluster):
    _report(deployed, "plans")
    cluster.stop()
    cluster.start()  # the kept connection was closed by the server
    _report(deployed, "plans")
    assert _count(deployed, "plans") == 2
    child = os.fork()
    if child == 0:  # writes while the parent does, then leaves without the parent's cleanup
        try:
            _report(deployed, "in_child", 50)
            os._exit(0)
        except BaseException:
            os._exit(1)
    _report(deployed, "plans", 50)  # at the same time: on one shared connection, the two would mix
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    _report(deployed, "plans")
    assert _count(deployed, "in_child") == 50 and _count(deployed, "plans") == 53
