"""`cchc server`: the server deployment's PostgreSQL, a real cluster in a folder of its own, started,
found running, stopped and started again with its database kept; Dagster's home pointed at it."""

import os
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


def test_the_server_command_starts_finds_stops_and_restarts_the_cluster(server_dir, monkeypatch):
    runner = CliRunner()
    started = runner.invoke(app, ["server", "start"])
    assert started.exit_code == 0, started.output
    exports = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines())
    url = exports[postgres.URL_ENV].strip("'")
    assert url == f"postgresql://cchc@/dagster?host={server_dir / 'postgres'}"
    assert exports["DAGSTER_HOME"].strip("'") == str(server_dir / "dagster")
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
        monkeypatch.setenv(name, value.strip("'"))
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"


@pytest.mark.skipif(os.geteuid() != 0, reason="the postgres user only runs the cluster for root")
def test_a_folder_the_postgres_user_cannot_enter_is_refused_with_the_fix(tmp_path):
    closed = tmp_path / "closed"  # pytest's temp folders are open to their owner alone
    with pytest.raises(PostgresUnavailable, match=r"cannot reach .*chmod o\+x"):
        Cluster(closed / "postgres").start()
