"""What `cchc run` does around the jobs: freeing a writer slot an ended run left behind, and progress
lines that never stop a run."""

import io
import logging

import dagster as dg

from pipelines.progress import _ProgressHandler
from pipelines.resources import WAREHOUSE_POOL
from pipelines.runs import release_slots_of_ended_runs


@dg.op
def _noop() -> None:
    pass


@dg.job
def _tiny() -> None:
    _noop()


def test_slots_of_ended_runs_are_freed_and_those_of_live_runs_kept():
    with dg.instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(WAREHOUSE_POOL, 2)
        ended = _tiny.execute_in_process(instance=instance).run_id
        live = instance.create_run_for_job(_tiny).run_id  # not started: may still take its slot
        for run_id in (ended, live):
            assert storage.claim_concurrency_slot(WAREHOUSE_POOL, run_id, "step").is_claimed
        assert release_slots_of_ended_runs(instance) == [ended]
        claimed = {slot.run_id for slot in storage.get_concurrency_info(WAREHOUSE_POOL).claimed_slots}
        assert claimed == {live}
        assert release_slots_of_ended_runs(instance) == []


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
