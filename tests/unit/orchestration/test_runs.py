"""What `cchc run` does around the jobs: freeing a writer slot an ended run left behind, progress lines
that never stop a run, and reading a period's files ahead of its run."""

import gc
import io
import logging
import os
import socket
import subprocess
import sys
from dataclasses import replace

import dagster as dg
import pytest

from pipelines.definitions import build_definitions
from pipelines.forms.report.template import write_template
from pipelines.landing import source as source_module
from pipelines.landing import workers
from pipelines.orchestration.progress import _ProgressHandler
from pipelines.orchestration.recovery import (
    PROCESS_TAG,
    fail_dead_runs,
    release_slots_of_dead_runs,
    this_process,
)
from pipelines.orchestration.runs import (
    _collecting_rarely,
    _say_who_writes,
    ingest,
    pending_work,
    run_pipeline,
)
from pipelines.settings import WAREHOUSE_POOL, Settings
from pipelines.sources.reports import assets
from tests.unit.sources.reports.test_read import FORM


@dg.op
def _noop() -> None:
    pass


@dg.job
def _tiny() -> None:
    _noop()


def test_slots_of_ended_and_killed_runs_are_freed_and_those_of_live_runs_kept():
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    host, me = socket.gethostname(), os.getpid()
    _, _, started, namespace = this_process()[PROCESS_TAG].split(":")
    boot, _, ticks = started.partition(".")

    def tagged(pid: int, start: str = f"{boot}.1", where: str = namespace) -> dict[str, str]:
        return {PROCESS_TAG: f"{host}:{pid}:{start}:{where}"}

    with dg.instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(WAREHOUSE_POOL, 7)

        def run(tags: dict[str, str]) -> str:
            return instance.create_run_for_job(_tiny, tags=tags).run_id

        ended = _tiny.execute_in_process(instance=instance).run_id  # ended, its claim left behind
        live = run(this_process())
        dead = run(tagged(killed.pid))
        # this process's PID, but another process's start: the run's own died and its PID was taken again
        reused = run(tagged(me, f"{boot}.{int(ticks) - 1}"))
        before_reboot = run(tagged(me, f"another-boot.{ticks}"))
        elsewhere = run({PROCESS_TAG: f"another-host:1:{started}:{namespace}"})
        # a container of the same host name: its PIDs are not this machine's to look up
        in_container = run(tagged(killed.pid, where=str(int(namespace) + 1)))
        # re-executed from the UI: its parent's tags copied, the dead process among them, not yet its own
        again = run({**tagged(killed.pid), "dagster/parent_run_id": dead})
        # killed in a step outside the pool (an extract): no slot to free, but a place in the run queue
        outside = run(tagged(killed.pid))
        for run_id in (ended, live, dead, reused, before_reboot, in_container, again):
            assert storage.claim_concurrency_slot(WAREHOUSE_POOL, run_id, "step").is_claimed
        storage.claim_concurrency_slot(WAREHOUSE_POOL, elsewhere, "step")  # waits: no slot left
        said = []
        _say_who_writes(instance, said.append)
        assert f"Waiting for run {live} ({host}:{me}) to free the warehouse writer slot" in said
        assert release_slots_of_dead_runs(instance) == sorted([ended, dead, reused, before_reboot])
        info = storage.get_concurrency_info(WAREHOUSE_POOL)
        assert {slot.run_id for slot in info.claimed_slots} == {live, in_container, again}
        for run_id in (dead, reused, before_reboot):
            assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE
        assert fail_dead_runs(instance) == [outside]
        assert instance.get_run_by_id(outside).status == dg.DagsterRunStatus.FAILURE
        for run_id in (live, in_container, again):
            assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.NOT_STARTED
        assert release_slots_of_dead_runs(instance) == [] and fail_dead_runs(instance) == []


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


def _by_name(items):
    return sorted(items, key=lambda item: item.source_file)


def test_each_period_run_reads_the_files_read_ahead_for_it(tmp_path, monkeypatch):
    """`cchc run` hands a period's files to the pool before its run; the run must ask for the very same
    items, or every file would be read twice without a test noticing."""
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    inbox = settings.raw_dir / "reports"
    for period, label in (("2024-Q3", "Quý III năm 2024"), ("2024-H1", "6 tháng đầu năm 2024")):
        form = replace(FORM, period_key=period, period_label=label)
        write_template(form, inbox / f"so-noi-vu-{period}.xlsx")
        write_template(form, inbox / "copies" / f"ban-sao-{period}.xlsx")
    asked_ahead, asked, collector = [], [], []
    monkeypatch.setattr(assets, "read_ahead", lambda _function, items: asked_ahead.append(_by_name(items)))

    def read_all(function, items):
        if function is assets.load_files:  # not the planner opening a file for its period
            asked.append(_by_name(items))
            collector.append(gc.get_threshold()[0])
        return workers.read_all(function, items)

    monkeypatch.setattr(assets, "read_all", read_all)
    with dg.DagsterInstance.ephemeral() as instance:
        results = ingest(build_definitions(settings), instance, pending_work(settings))
    assert all(result.success for result in results) and len(results) == 2
    assert asked == asked_ahead and [len(items) for items in asked] == [2, 2]
    first = ["copies/ban-sao-2024-H1.xlsx", "so-noi-vu-2024-H1.xlsx"]
    assert [item.source_file for item in asked[0]] == first
    assert [item.kept for item in asked[0]] == [None, None]  # nothing archived yet
    assert collector == [50_000] * 2  # the runs' results unpickled with few collections
    packs = sorted((settings.archive_dir("reports") / "packs").iterdir())
    assert len(packs) == 2  # a pack a run: its files read in one batch

    # a newer reader reads every file again: the same items ahead and asked, each knowing where the
    # archive keeps its content, and nothing archived again
    monkeypatch.setattr(source_module, "reader_version", lambda _module: "a newer reader")
    asked_ahead.clear()
    asked.clear()
    with dg.DagsterInstance.ephemeral() as instance:
        results = ingest(build_definitions(settings), instance, pending_work(settings))
    assert all(result.success for result in results) and len(results) == 2
    assert asked == asked_ahead and [len(items) for items in asked] == [2, 2]
    kept = [item.kept.archived_path for item in asked[0]]
    assert [path.split("/")[:3] for path in kept] == [["archive", "reports", "packs"]] * 2
    assert kept[0].endswith("/ban-sao-2024-H1.xlsx") and kept[1].endswith("/so-noi-vu-2024-H1.xlsx")
    assert sorted((settings.archive_dir("reports") / "packs").iterdir()) == packs


def _frozen(thing: object) -> bool:
    """Whether the collector leaves `thing` alone (frozen): its list of what it walks leaves it out."""
    return id(thing) not in {id(other) for other in gc.get_objects()}


def test_the_collector_is_given_back_as_it_was_after_ingestion_even_a_failed_one():
    before = gc.get_threshold()
    # imported while the tests were collected, and frozen then (conftest), as `cchc` freezes its imports
    assert _frozen(_collecting_rarely)
    with pytest.raises(RuntimeError, match="a run broke"), _collecting_rarely():
        assert gc.get_threshold() == (50_000, *before[1:])
        raise RuntimeError("a run broke")
    assert gc.get_threshold() == before and _frozen(_collecting_rarely)


def test_a_full_build_of_a_selection_is_refused_before_anything_runs(tmp_path):
    """`full` rebuilds everything (dbt's full refresh): given with a selection it used to build the
    selection incrementally without a word; now it is refused, and nothing is read or written."""
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    with dg.DagsterInstance.ephemeral() as instance, pytest.raises(ValueError, match="no selection"):
        run_pipeline(dg.Definitions(), instance, settings, build=dg.AssetSelection.all(), full=True)
    assert not (tmp_path / "warehouse").exists()
