"""`cchc server`: the server deployment's PostgreSQL, a real cluster in a folder of its own, started,
found running, stopped and started again with its database kept; Dagster's home pointed at it."""

import os
import shlex
import shutil
import tempfile
from pathlib import Path

import dagster as dg
import psycopg2
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.orchestration import postgres
from pipelines.orchestration.postgres import Cluster, PostgresUnavailable


@pytest.fixture()
def server_dir(monkeypatch):
    folder = Path(tempfile.mkdtemp(prefix="cchc-server-"))
    folder.chmod(0o755)  # the postgres user enters it when root starts the cluster
    monkeypatch.setattr(postgres, "SERVER_DIR", folder)
    yield folder
    postgres.server_cluster().stop()
    shutil.rmtree(folder, ignore_errors=True)


def test_the_server_command_starts_finds_stops_and_restarts_the_cluster(server_dir, monkeypatch):
    runner = CliRunner()
    started = runner.invoke(app, ["server", "start"])
    assert started.exit_code == 0, started.output
    exports = dict(  # as the shell reads them (`make server` evaluates the lines)
        shlex.split(line.removeprefix("export "))[0].split("=", 1) for line in started.stdout.splitlines()
    )
    url = exports[postgres.URL_ENV]
    assert url == f"postgresql://cchc@/dagster?host={server_dir / 'postgres'}"
    assert exports["DAGSTER_HOME"] == str(server_dir / "dagster")
    assert runner.invoke(app, ["server", "status"]).exit_code == 0
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("create table kept (note text)")
    assert runner.invoke(app, ["server", "start"]).exit_code == 0  # already running: nothing to do

    assert runner.invoke(app, ["server", "stop"]).exit_code == 0
    status = runner.invoke(app, ["server", "status"])
    assert status.exit_code == 1 and "PostgreSQL stopped" in status.stdout
    assert runner.invoke(app, ["server", "start"]).exit_code == 0
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("select count(*) from kept")  # the data of the first start is still there
        assert cursor.fetchone() == (0,)

    for name, value in exports.items():
        monkeypatch.setenv(name, value)
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PooledPostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"


@pytest.mark.skipif(os.geteuid() != 0, reason="the postgres user only runs the cluster for root")
def test_a_folder_the_postgres_user_cannot_enter_is_refused_with_the_fix(tmp_path):
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    closed.chmod(0o700)  # open to its owner alone
    with pytest.raises(PostgresUnavailable, match=r"cannot reach .*chmod o\+x"):
        Cluster(closed / "postgres").start()


def test_other_accounts_cannot_reach_the_socket_and_a_path_with_a_quote_still_works(monkeypatch):
    folder = Path(tempfile.mkdtemp(prefix="cchc-server-o'brien "))
    folder.chmod(0o755)
    cluster = Cluster(folder / "postgres")
    try:
        cluster.start()
        socket = folder / "postgres" / postgres.SOCKET_NAME
        assert socket.stat().st_mode & 0o777 == 0o700
        with psycopg2.connect(cluster.url) as conn, conn.cursor() as cursor:
            cursor.execute("select current_setting('listen_addresses')")
            assert cursor.fetchone() == ("",)  # no TCP port
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_socket_path_too_long_is_refused_before_anything_is_made(tmp_path):
    deep = tmp_path / ("d" * 120)
    with pytest.raises(PostgresUnavailable, match="longer than 107 bytes"):
        Cluster(deep / "postgres").start()
    assert not deep.exists()
