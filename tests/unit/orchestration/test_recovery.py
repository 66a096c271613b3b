"""What a killed run leaves behind: dbt orphaned, a writer slot held, a write lock held, temp files of a
publish."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import dagster as dg
import duckdb

from pipelines.orchestration.recovery import (
    lock_holder,
    release_slots_of_dead_runs,
    remove_leftovers,
    wait_for_warehouse,
)
from pipelines.settings import WAREHOUSE_POOL, Settings


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead too: it only waits for its parent to read its status
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_a_child_bound_to_its_run_dies_when_the_run_is_killed(tmp_path):
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import subprocess, sys, time
                child = subprocess.Popen([sys.executable, "-c",
                    "from pipelines.warehouse.bound_dbt import bind_to_parent; bind_to_parent();"
                    " import os, time; print('bound', os.getpid(), flush=True); time.sleep(120)"])
                time.sleep(120)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    said, pid = parent.stdout.readline().split()  # the child has bound itself (on the run's stdout)
    child = int(pid)
    assert said == "bound" and _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


# a run the daemon launched, as its run worker executes it: not tagged by whoever created it; its one
# step opens the warehouse and holds the writer slot until the worker is killed
_LAUNCHED_RUN = """
import sys, time
import dagster as dg
from pipelines.orchestration.recovery import WarehouseDuckDB
from pipelines.settings import WAREHOUSE_POOL

@dg.op(pool=WAREHOUSE_POOL)
def writes(duckdb: WarehouseDuckDB) -> None:
    print("holding the writer slot", flush=True)
    time.sleep(120)

@dg.job(resource_defs={"duckdb": WarehouseDuckDB(database=sys.argv[1])})
def build() -> None:
    writes()

with dg.DagsterInstance.get() as instance:
    build.execute_in_process(instance=instance)
"""


def test_a_run_worker_killed_with_its_code_server_gives_its_writer_slot_back(tmp_path, monkeypatch):
    """The machine rebooted mid-build: no code server is left to mark the run failed. The run tagged
    itself with its process when it opened the warehouse, so the next `cchc run` or the sensor finds
    the process gone, marks the run failed and frees the slot every later writer waits for."""
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text("concurrency:\n  pools:\n    default_limit: 1\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    command = [sys.executable, "-c", _LAUNCHED_RUN, str(tmp_path / "cchc.duckdb")]
    worker = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().strip() == "holding the writer slot"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    with dg.DagsterInstance.get() as instance:
        (run,) = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.STARTED
        assert release_slots_of_dead_runs(instance) == [run.run_id]
        assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL).claimed_slots == []
        assert release_slots_of_dead_runs(instance) == []


def test_a_held_write_lock_is_reported_with_the_pid_and_waited_for(tmp_path):
    database = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(database)).close()
    assert lock_holder(database) is None
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(database)!r}); print('ok', flush=True);"
            " time.sleep(2)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "ok"
    holder = lock_holder(database)
    assert holder is not None and holder.startswith(f"process {writer.pid} (") and "duckdb" in holder
    said: list[str] = []
    wait_for_warehouse(database, said.append, poll_seconds=0.1)  # returns once the writer exits
    writer.wait()
    assert len(said) == 1 and f"process {writer.pid}" in said[0] and "kill <PID>" in said[0]
    assert lock_holder(database) is None


def test_temp_files_of_an_interrupted_publish_archive_copy_or_pack_export_and_extract_are_removed(tmp_path):
    settings = Settings(warehouse=str(tmp_path / "warehouse" / "cchc.duckdb"), raw=str(tmp_path / "raw"))
    settings.warehouse_dir.mkdir(parents=True)
    published = settings.warehouse_dir / f".{settings.published_path.name}.tmp"
    archived = settings.archive_dir("reports") / "0123456789abcdef" / ".bao-cao.xlsx.tmp"
    archived.parent.mkdir(parents=True)
    kept = archived.with_name("bao-cao.xlsx")
    packing = settings.archive_dir("reports") / "packs" / ".fedcba9876543210.zip.4242.tmp"
    packing.parent.mkdir(parents=True)
    pack = packing.with_name("fedcba9876543210.zip")
    period = settings.parquet_dir / "main" / "report_indicator_values" / "period_key=2025-Q1"
    period.mkdir(parents=True)
    exported, written = period / ".data.parquet.4242.tmp", period / "data.parquet"
    extract = settings.extracts_dir / "don-doc" / ".don-doc-2024-Q3.xlsx.tmp"
    extract.parent.mkdir(parents=True)
    for path in (
        published,
        archived,
        kept,
        packing,
        pack,
        settings.published_path,
        exported,
        written,
        extract,
    ):
        path.write_bytes(b"x")
    assert sorted(remove_leftovers(settings)) == sorted([published, archived, packing, exported, extract])
    assert kept.exists() and pack.exists() and settings.published_path.exists() and written.exists()
    assert not published.exists() and not archived.exists() and not exported.exists()
