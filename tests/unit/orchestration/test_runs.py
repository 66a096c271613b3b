"""What `cchc run` does around the jobs: freeing a writer slot an ended run left behind, and progress
lines that never stop a run."""

import io
import logging
import socket
import subprocess
import sys

import dagster as dg

from pipelines.orchestration.progress import _ProgressHandler
from pipelines.orchestration.recovery import PROCESS_TAG, release_slots_of_dead_runs, this_process
from pipelines.settings import WAREHOUSE_POOL


@dg.op
def _noop() -> None:
    pass


@dg.job
def _tiny() -> None:
    _noop()


def test_slots_of_ended_and_killed_runs_are_freed_and_those_of_live_runs_kept():
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    host = socket.gethostname()
    with dg.instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(WAREHOUSE_POOL, 3)
        ended = _tiny.execute_in_process(instance=instance).run_id  # ended, its claim left behind
        live = instance.create_run_for_job(_tiny, tags=this_process()).run_id
        dead = instance.create_run_for_job(_tiny, tags={PROCESS_TAG: f"{host}:{killed.pid}"}).run_id
        elsewhere = instance.create_run_for_job(_tiny, tags={PROCESS_TAG: "another-host:1"}).run_id
        for run_id in (ended, live, dead):
            assert storage.claim_concurrency_slot(WAREHOUSE_POOL, run_id, "step").is_claimed
        storage.claim_concurrency_slot(WAREHOUSE_POOL, elsewhere, "step")  # waits: no slot left
        assert release_slots_of_dead_runs(instance) == sorted([ended, dead])
        info = storage.get_concurrency_info(WAREHOUSE_POOL)
        assert {slot.run_id for slot in info.claimed_slots} == {live}
        assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(live).status == dg.DagsterRunStatus.NOT_STARTED
        assert release_slots_of_dead_runs(instance) == []


def test_a_reader_that_went_away_silences_the_progress_lines_without_failing_the_run(monkeypatch):
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr("sys.__stdout__", closed)
    handler = _ProgressHandler()
    handler._describe = lambda event: "  ✓ step: 1 assets (0.1 s)"
    record = logging.LogRecord("cchc.progress", logging.INFO, __file__, 1, "", None, None)
    record.dagster_meta = {"dagster_event": object()}
    handler.emit(record)  # does not raise
    assert handler.silenced
