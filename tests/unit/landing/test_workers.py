"""Files are read across worker processes; a worker that dies fails its call, not every later one."""

import os
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from pipelines.landing.workers import POOL_THRESHOLD, forget_read_ahead, read_ahead, read_all, stop_workers


def square(number: int) -> int:
    return number * number


def slow_square(number: int) -> int:
    time.sleep(0.02)  # long enough that the pool breaks before these are read
    return number * number


def die_on_seven(number: int) -> int:
    if number == 7:
        os._exit(1)  # a worker killed mid-file (out of memory, kill -9)
    return number


def test_the_pool_reads_in_order_and_recovers_from_a_dead_worker(monkeypatch):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    numbers = list(range(POOL_THRESHOLD * 2))
    assert read_all(square, numbers) == [n * n for n in numbers]
    with pytest.raises(BrokenProcessPool):
        read_all(die_on_seven, numbers)
    assert read_all(square, numbers) == [n * n for n in numbers]  # a fresh pool, not the broken one


def count_call(item: tuple[str, int]) -> int:
    """The number squared, leaving a file for each call (made in a worker process)."""
    folder, number = item
    with open(os.path.join(folder, str(number)), "a", encoding="utf-8") as calls:
        calls.write("called\n")
    return number * number


def _wait_for_calls(folder, count: int) -> None:
    deadline = time.monotonic() + 60
    while len(list(folder.iterdir())) < count:
        assert time.monotonic() < deadline, "the pool did not read ahead"
        time.sleep(0.05)


def test_what_was_read_ahead_is_taken_not_read_again_and_comes_back_in_order(monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    ahead = [(str(tmp_path), number) for number in range(POOL_THRESHOLD * 2)]
    read_ahead(count_call, ahead)
    _wait_for_calls(tmp_path, len(ahead))  # read before anything asked for them
    # the call asks for them in another order, with two more that were not read ahead
    asked = [*reversed(ahead), (str(tmp_path), 1000), (str(tmp_path), 1001)]
    squares = read_all(count_call, asked)
    assert squares[:3] == [127 * 127, 126 * 126, 125 * 125] and squares[-2:] == [1_000_000, 1_002_001]
    assert squares == [number * number for _, number in asked]
    calls = {path.name: path.read_text().count("called") for path in tmp_path.iterdir()}
    assert len(calls) == 130 and set(calls.values()) == {1}  # each read once
    # once taken, nothing is left ahead: asking again reads again
    read_all(count_call, ahead[:2])
    assert (tmp_path / "0").read_text().count("called") == 2


def test_what_was_read_ahead_and_never_asked_for_is_forgotten(monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    ahead = [(str(tmp_path), number) for number in range(POOL_THRESHOLD)]
    read_ahead(count_call, ahead)
    _wait_for_calls(tmp_path, len(ahead))
    forget_read_ahead()
    assert read_all(count_call, ahead) == [number * number for _, number in ahead]
    assert {path.read_text().count("called") for path in tmp_path.iterdir()} == {2}  # read again


def test_a_worker_dying_on_a_file_read_ahead_fails_only_the_call_that_asks_for_it(monkeypatch):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    doomed = list(range(POOL_THRESHOLD))  # 7 kills the worker that reads it
    others = list(range(100, 100 + POOL_THRESHOLD))
    read_ahead(die_on_seven, doomed)
    time.sleep(1)  # the pool breaks meanwhile
    read_ahead(square, others)  # handed to a broken pool: no error, the call reads for itself
    assert read_all(square, others) == [n * n for n in others]  # read again on a fresh pool
    with pytest.raises(BrokenProcessPool):
        read_all(die_on_seven, doomed)  # its own file: this call fails
    assert read_all(square, others) == [n * n for n in others]


def test_a_call_whose_files_were_read_ahead_beside_a_dying_worker_is_read_again(monkeypatch):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    doomed = list(range(POOL_THRESHOLD))
    others = list(range(100, 100 + POOL_THRESHOLD))
    read_ahead(die_on_seven, doomed)  # queued first: a worker dies on 7 ...
    read_ahead(slow_square, others)  # ... taking the read ahead of these with it
    assert read_all(slow_square, others) == [n * n for n in others]
    with pytest.raises(BrokenProcessPool):
        read_all(die_on_seven, doomed)


def test_stopped_readers_leave_nothing_read_ahead_and_the_next_call_starts_new_ones(monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    stop_workers()  # this process's readers of earlier tests
    others = set(spawned())  # another pool's
    ahead = [(str(tmp_path), number) for number in range(POOL_THRESHOLD)]
    read_ahead(count_call, ahead)
    _wait_for_calls(tmp_path, len(ahead))
    readers = set(spawned()) - others
    assert len(readers) == 2
    stop_workers()
    assert not any(Path(f"/proc/{pid}").exists() for pid in readers)  # ended, and reaped
    assert read_all(count_call, ahead) == [number * number for _, number in ahead]  # by new readers
    assert {path.read_text().count("called") for path in tmp_path.iterdir()} == {2}  # read again
    again = set(spawned()) - others
    assert len(again) == 2 and not again & readers


def spawned() -> list[int]:
    """This process's spawned children (a pool's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and b"spawn_main" in command:
            found.append(int(entry.name))
    return found
