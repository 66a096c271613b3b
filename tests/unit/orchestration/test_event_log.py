"""The project's Dagster instance (.dagster/dagster.yaml) keeps its events where Dagster's default SQLite
storage keeps them, so a home made before reads as it did, and keeps an engine a database, a few at a
time, in each process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events.log import EventLogEntry

from pipelines.bench.run import local_home
from pipelines.orchestration.event_log import KEPT_ENGINES, PooledSqliteEventLogStorage

pytestmark = pytest.mark.long  # queued first (tests/integration/conftest.py)


def _home(folder: Path, *, project: bool = True) -> Path:
    """A Dagster home with the project's instance, or with Dagster's default storage (a home made before
    this class)."""
    if project:
        return local_home(folder)
    (folder / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    return folder


def _run(instance: dg.DagsterInstance, name: str) -> str:
    """A run that materializes asset `name`: its events in a database of the run's own and the index."""

    @dg.asset(name=name)
    def made() -> int:
        return 1

    result = dg.materialize([made], instance=instance)
    assert result.success
    return result.run_id


def _materialized(instance: dg.DagsterInstance, name: str) -> str | None:
    event = instance.get_latest_materialization_event(dg.AssetKey(name))
    return event.run_id if event else None


def test_events_are_where_dagsters_default_keeps_them_whatever_dagster_home_says(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(_home(tmp_path / "elsewhere")))
    home = _home(tmp_path / "home")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        run_id = _run(instance, "plans")
    assert (home / "history" / "runs" / f"{run_id}.db").exists()
    assert not (tmp_path / "elsewhere" / "history").exists()
    # Dagster's own storage reads them, and what it wrote is read back
    _home(home, project=False)
    with dg.DagsterInstance.from_config(str(home)) as stock:
        assert type(stock.event_log_storage).__name__ == "SqliteEventLogStorage"
        assert _materialized(stock, "plans") == run_id
        earlier = _run(stock, "reports")
    _home(home)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert _materialized(instance, "reports") == earlier
        assert len(instance.all_logs(earlier)) == len(instance.all_logs(run_id)) > 5


def test_an_engine_is_kept_a_database_and_only_for_the_last_few(tmp_path):
    with dg.DagsterInstance.from_config(str(_home(tmp_path / "home"))) as instance:
        storage = instance.event_log_storage
        first = _run(instance, "asset_0")
        index = storage._engines["index"][0]
        runs = [first] + [_run(instance, f"asset_{number}") for number in range(1, 6)]
        assert storage._engines["index"][0] is index  # the same engine for every event of six runs
        assert len(storage._engines) == KEPT_ENGINES
        assert first not in storage._engines and runs[-1] in storage._engines
        # a run whose engine was disposed of reads as written
        assert len(instance.all_logs(first)) == len(instance.all_logs(runs[-1]))
        assert [_materialized(instance, f"asset_{number}") for number in range(6)] == runs
        storage.wipe()  # the run databases removed: no engine left on a removed file (the index's is new)
        assert list(storage._engines) == ["index"] and storage._engines["index"][0] is not index
        assert _materialized(instance, "asset_0") is None
        again = _run(instance, "asset_0")
        assert _materialized(instance, "asset_0") == again


def test_a_forked_process_stores_through_engines_of_its_own(tmp_path):
    with dg.DagsterInstance.from_config(str(_home(tmp_path / "home"))) as instance:
        storage = instance.event_log_storage
        before = _run(instance, "before")
        parents = dict(storage._engines)
        child = os.fork()
        if child == 0:  # the child writes, then leaves without running the parent's cleanup
            try:
                _run(instance, "in_child")
                mine = storage._engines["index"][0] is not parents["index"][0]
                os._exit(0 if mine and before not in storage._engines else 1)
            except BaseException:
                os._exit(2)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert storage._engines["index"][0] is parents["index"][0]
        assert _materialized(instance, "in_child") is not None
        after = _run(instance, "after")
        assert _materialized(instance, "after") == after


# another process of the instance (a run worker) storing events into a run while this one (the UI)
# watches it: it keeps its connection open until told to end
WRITER = """
import sys, time
import dagster as dg
from dagster._core.events.log import EventLogEntry

with dg.DagsterInstance.from_config(sys.argv[1]) as instance:
    for number in range(3):
        instance.event_log_storage.store_event(
            EventLogEntry(error_info=None, level="INFO", user_message=f"step {number}", run_id=sys.argv[2],
                          timestamp=time.time())
        )
    print("stored", flush=True)
    sys.stdin.readline()
"""


def test_a_run_watched_in_one_process_shows_the_events_another_stores_as_it_stores_them(tmp_path):
    home = _home(tmp_path / "home")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run_id = _run(instance, "plans")  # the run's database exists, as when the UI opens its page
        seen: list[str] = []
        instance.watch_event_logs(run_id, None, lambda entry, _cursor: seen.append(entry.user_message))
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(home), run_id],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout.readline().strip() == "stored"
            deadline = time.monotonic() + 10
            while len([message for message in seen if message.startswith("step ")]) < 3:
                assert time.monotonic() < deadline, f"the watcher saw {seen}"
                time.sleep(0.05)
            assert writer.poll() is None  # seen while the writer still holds its connection
        finally:
            writer.communicate("end\n", timeout=30)
        instance.end_watch_event_logs(run_id, seen.append)


def _log(instance: dg.DagsterInstance, run_id: str, message: str) -> None:
    entry = EventLogEntry(
        error_info=None, level="INFO", user_message=message, run_id=run_id, timestamp=time.time()
    )
    instance.event_log_storage.store_event(entry)


def test_a_database_another_process_removed_is_written_anew_not_into_the_removed_file(tmp_path):
    home = _home(tmp_path / "home")
    with (
        dg.DagsterInstance.from_config(str(home)) as worker,
        dg.DagsterInstance.from_config(str(home)) as operator,
    ):
        _log(worker, "a-run", "before")  # its engine on the run's database
        operator.event_log_storage.wipe()  # `dagster run wipe` elsewhere: the run databases removed
        assert not (home / "history" / "runs" / "a-run.db").exists()
        _log(worker, "a-run", "after")
        records = operator.event_log_storage.get_records_for_run("a-run").records
        assert [record.event_log_entry.user_message for record in records] == ["after"]
