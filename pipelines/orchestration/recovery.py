"""What a killed run leaves behind, found and cleared, so that a run killed at any moment never blocks
the next one.

- The writer-pool slot of a run whose process died (each run that opens the warehouse is tagged with
  its process: by `cchc run` when it creates it, by WarehouseDuckDB when a launched run starts): freed
  and the run marked failed, at the start of `cchc run` and by the `free_dead_writer_slots` sensor.
- A run in progress whose process died outside the writer pool: marked failed, so that it keeps no
  place in the run queue.
- The temp files of an interrupted publish, archive copy or pack: removed when no run is in progress.
- A process still holding DuckDB's write lock on the warehouse (DuckDB names it): said, with its PID
  and command, while `cchc run` waits for it, never waited for in silence.
dbt, the one child process a run starts, dies with its run (warehouse/bound_dbt.py).
"""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from pipelines.settings import WAREHOUSE_POOL, Settings

# which process runs an in-process run (host:pid:when it started:its PID namespace), so that a later
# one can tell a run whose process was killed from one still going
PROCESS_TAG = "cchc/process"
_LOCK_PID = re.compile(r"\(PID (\d+)\)")


_ZOMBIE = "zombie"  # a process that only waits for its parent to read how it ended: gone


def _started(pid: int) -> str | None:
    """When process `pid` started, as this boot's id and its start in clock ticks since boot (a PID
    taken again by another process, after a reboot above all, does not match); _ZOMBIE for a zombie;
    None when /proc cannot say (no such process, or one hidden from this user)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        state, *fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return _ZOMBIE if state == "Z" else f"{boot}.{fields[18]}"  # field 22 of proc(5): starttime


def _pid_namespace() -> str:
    """The PID namespace this process sees (a container has its own): PIDs of another mean nothing here."""
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return ""


def this_process() -> dict[str, str]:
    """host:PID:start:PID namespace (start empty where /proc cannot say)."""
    started = _started(os.getpid()) or ""
    return {PROCESS_TAG: f"{socket.gethostname()}:{os.getpid()}:{started}:{_pid_namespace()}"}


class WarehouseDuckDB(DuckDBResource):
    """The warehouse's DuckDB, as every step that writes it opens it. A run that needs it tags itself
    with its process as it starts (a `cchc run` has tagged it already): every step runs in that one
    process (the in-process executor, definitions.py), so when a launched run's worker dies with the
    code server that would have marked its run failed (the machine rebooted, `make dev` killed), its
    writer slot is found and freed as a killed `cchc run`'s is, and only on the machine it ran on."""

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        run, instance, tag = context.run, context.instance, this_process()
        if run is not None and instance is not None and run.tags.get(PROCESS_TAG) != tag[PROCESS_TAG]:
            instance.add_run_tags(run.run_id, tag)


class _Process(NamedTuple):
    """A run's process tag read back: host:PID, or host:PID:start:PID namespace (`legacy`: the first,
    as tags were before they said when and where)."""

    host: str
    pid: str
    started: str
    namespace: str
    legacy: bool


def _process(run: dg.DagsterRun) -> _Process:
    host, _, process = run.tags.get(PROCESS_TAG, "").partition(":")
    pid, started, namespace = [*process.split(":"), "", ""][:3]
    return _Process(host, pid, started, namespace, ":" not in process)


def process_of(run: dg.DagsterRun) -> str | None:
    """The process a run runs in, as an operator looks for it (host:PID); None when it has not said."""
    tagged = _process(run)
    return f"{tagged.host}:{tagged.pid}" if tagged.host else None


def _is_dead(instance: dg.DagsterInstance, run: dg.DagsterRun) -> bool:
    """Whether the process the run tagged itself with has ended, judged only on its machine and in its
    PID namespace; a process this user may not see, or whose start /proc will not give, is alive. A run
    re-executed from the UI or retried copies its parent's tags, the dead process among them, until it
    tags itself as it starts (WarehouseDuckDB): it is not judged by its parent's."""
    tagged = _process(run)
    if (
        tagged.host != socket.gethostname()
        or not tagged.pid.isdigit()
        or not (tagged.legacy or tagged.namespace == _pid_namespace())
    ):
        return False  # not ours to judge: a run of another machine or container, or one never tagged
    parent_id = run.tags.get("dagster/parent_run_id")
    parent = instance.get_run_by_id(parent_id) if parent_id else None
    if parent is not None and parent.tags.get(PROCESS_TAG) == run.tags.get(PROCESS_TAG):
        return False
    try:
        os.kill(int(tagged.pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # another user's process: there is one
    now = _started(int(tagged.pid)) if tagged.started else None
    return now is not None and now != tagged.started


def _report_failed(instance: dg.DagsterInstance, run_id: str, why: str) -> None:
    """Mark the run failed unless it ended meanwhile (the code server may have just said so)."""
    run = instance.get_run_by_id(run_id)
    if run is not None and not run.is_finished:
        instance.report_run_failed(run, why)


def writer_slot_holders(instance: dg.DagsterInstance) -> set[str]:
    """Runs holding or waiting for the warehouse writer slot."""
    info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
    return {slot.run_id for slot in info.claimed_slots} | {step.run_id for step in info.pending_steps}


def release_slots_of_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Free the writer-pool slots, claimed or waited for, of runs that can never give them back: runs
    that ended without freeing them (a step died of a broken pipe), and runs whose process was killed
    with nobody left to say so (a `cchc run`, a launched run's worker with its code server; marked failed
    here). Every later run would otherwise wait for them forever."""
    released = []
    for run_id in sorted(writer_slot_holders(instance)):
        run = instance.get_run_by_id(run_id)
        if run is not None and not run.is_finished:
            if not _is_dead(instance, run):
                continue
            _report_failed(instance, run_id, "its process was killed; its writer slot was freed")
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)
        released.append(run_id)
    return released


_ACTIVE = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def runs_in_progress(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    return list(instance.get_runs(filters=dg.RunsFilter(statuses=_ACTIVE)))


def fail_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs in progress whose process is gone with nobody left to say so, holding no
    writer slot (killed in a step outside the pool, the Parquet files or an extract): each would keep
    a place in the run queue and stop leftovers from being cleared for ever."""
    dead = sorted(run.run_id for run in runs_in_progress(instance) if _is_dead(instance, run))
    for run_id in dead:
        _report_failed(instance, run_id, "its process was killed")
    return dead


def remove_leftovers(settings: Settings) -> list[Path]:
    """Remove the temp files an interrupted publish (`.<name>.tmp` beside the warehouse), archive copy
    or pack, Parquet export or extract left. Call only when no run is in progress: a running one may be
    writing them."""
    archive = settings.archive_dir("plans").parent
    leftovers = [
        *settings.warehouse_dir.glob(".*.tmp"),
        *archive.rglob(".*.tmp"),
        *settings.parquet_dir.rglob(".*.tmp"),
        *settings.extracts_dir.rglob(".*.tmp"),
    ]
    for path in leftovers:
        path.unlink(missing_ok=True)
    return leftovers


def lock_holder(database: Path) -> str | None:
    """Who holds DuckDB's write lock on `database` (PID and command line), or None when it can be opened."""
    if not database.exists():
        return None
    try:
        duckdb.connect(str(database), read_only=True).close()
    except duckdb.IOException as error:
        match = _LOCK_PID.search(str(error))
        if "lock" not in str(error).lower():
            raise
        if match is None:
            return "another process"
        pid = match[1]
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            command = ""
        return f"process {pid}" + (f" ({command[:160]})" if command else "")
    return None


def wait_for_warehouse(
    database: Path,
    echo: Callable[[str], None],
    *,
    poll_seconds: float = 1.0,
    remind_seconds: float = 60.0,
) -> None:
    """Return once no other process holds the warehouse's write lock, saying who holds it meanwhile."""
    said_at = None
    while (holder := lock_holder(database)) is not None:
        if said_at is None or time.monotonic() - said_at >= remind_seconds:
            echo(
                f"Waiting: {holder} holds the write lock on {database.name}. If it is left from a killed"
                " run, end it (kill <PID>) and this run goes on by itself."
            )
            said_at = time.monotonic()
        time.sleep(poll_seconds)
