"""Files are read across worker processes; a worker that dies fails its call, not every later one."""

import gc
import os
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from pipelines.landing.workers import POOL_THRESHOLD, forget_read_ahead, read_ahead, read_all, stop_workers


def square(numbers: list[int]) -> list[int]:
    return [number * number for number in numbers]


def slow_square(numbers: list[int]) -> list[int]:
    time.sleep(0.02 * len(numbers))  # long enough that the pool breaks before these are read
    return square(numbers)


def die_on_seven(numbers: list[int]) -> list[int]:
    if 7 in numbers:
        os._exit(1)  # a worker killed mid-file (out of memory, kill -9)
    return numbers


def test_the_pool_reads_in_order_and_recovers_from_a_dead_worker(monkeypatch):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    numbers = list(range(POOL_THRESHOLD * 2))
    assert read_all(square, numbers) == [n * n for n in numbers]
    with pytest.raises(BrokenProcessPool):
        read_all(die_on_seven, numbers)
    assert read_all(square, numbers) == [n * n for n in numbers]  # a fresh pool, not the broken one


def count_call(items: list[tuple[str, int]]) -> list[int]:
    """The numbers squared, leaving a file for each number read (made in a worker process)."""
    for folder, number in items:
        with open(os.path.join(folder, str(number)), "a", encoding="utf-8") as calls:
            calls.write("called\n")
    return [number * number for _, number in items]


def note_batch(items: list[tuple[str, int]]) -> list[int]:
    """The numbers, leaving a file for each batch, named by its first number, listing them all."""
    folder, first = items[0]
    with open(os.path.join(folder, f"batch-{first:03}"), "w", encoding="utf-8") as batch:
        batch.write(" ".join(str(number) for _, number in items))
    return [number for _, number in items]


def collector_threshold(numbers: list[int]) -> list[int]:
    return [gc.get_threshold()[0] for _ in numbers]


def uneven(numbers: list[int]) -> list[int]:
    return numbers[1:]  # a batch that loses a result


def test_a_batch_is_a_chunk_in_a_worker_or_all_the_items_in_this_process(monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    numbers = [(str(tmp_path), number) for number in range(130)]
    assert read_all(note_batch, numbers) == list(range(130))
    # 130 items, two workers: eight chunks each, of 130 // 16 = 8 items, and the 2 left over
    batches = sorted(path.name for path in tmp_path.iterdir())
    assert len(batches) == 17 and batches[:2] == ["batch-000", "batch-008"] and batches[-1] == "batch-128"
    assert (tmp_path / "batch-008").read_text() == "8 9 10 11 12 13 14 15"
    assert (tmp_path / "batch-128").read_text() == "128 129"
    few = tmp_path / "few"
    few.mkdir()
    assert read_all(note_batch, [(str(few), number) for number in range(5)]) == [0, 1, 2, 3, 4]
    assert (few / "batch-000").read_text() == "0 1 2 3 4"  # one batch, in this process
    assert len(list(few.iterdir())) == 1
    assert read_all(note_batch, []) == []
    with pytest.raises(ValueError, match="uneven gave 4 results for 5 items"):
        read_all(uneven, [1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match="uneven gave 7 results for 8 items"):
        read_all(uneven, list(range(128)))  # checked in the worker, a chunk of 8


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
    stop_workers()  # returns at once: the processes end, and are reaped, meanwhile
    _wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in readers))
    assert read_all(count_call, ahead) == [number * number for _, number in ahead]  # by new readers
    assert {path.read_text().count("called") for path in tmp_path.iterdir()} == {2}  # read again
    again = set(spawned()) - others
    assert len(again) == 2 and not again & readers


def test_workers_collect_cycles_rarely_as_they_hold_a_batch(monkeypatch):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    assert set(read_all(collector_threshold, list(range(POOL_THRESHOLD)))) == {50_000}


def test_stopping_waits_for_a_chunk_still_being_read_ahead(monkeypatch):
    """A failed run leaves what was read ahead for it: a chunk already handed to a worker cannot be
    cancelled, so stopping waits for it rather than leave it reading beside the build."""
    monkeypatch.setenv("CCHC_WORKERS", "2")
    stop_workers()
    others = set(spawned())
    read_ahead(slow_square, list(range(POOL_THRESHOLD * 2)))  # 16 chunks of 8, 0.16 s each
    _wait_until(lambda: len(set(spawned()) - others) == 2)
    readers = set(spawned()) - others
    stop_workers()
    assert not any(Path(f"/proc/{pid}").exists() for pid in readers)  # ended, and reaped, on return


def _wait_until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


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
