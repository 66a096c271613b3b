"""Read many landed files across the machine's cores.

Reading a workbook is CPU-bound Python, so threads do not help; a pool of processes does. The pool
is started once per process (spawned, not forked: the Dagster process runs threads) and reused by
every run of that process until its files are read (`stop_workers`, before the build); a handful of
files is read in the calling process, where starting workers would cost more than it saves.

A function given here reads a batch: a list of items to a list of their results, in order. A worker
is handed its items a chunk at a time, and what it does once for a chunk (the reports' archive pack) is
done once for the chunk, not for each file.

A run's files can be handed to the pool ahead of the call that wants them (`read_ahead`): `cchc run`
starts reading the next period's reports while this period's run writes its rows and Dagster records
it, so both cores stay busy; the call then takes what was read ahead instead of reading it again.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from pipelines.children import end_with_parent

Item = TypeVar("Item")
Result = TypeVar("Result")
Batch = Callable[[list[Item]], list[Result]]  # items → their results, in order

# below this many files, reading in the calling process is faster than handing them to workers
POOL_THRESHOLD = 64
WORKERS_ENV = "CCHC_WORKERS"
# the cycle collector's young threshold where a process holds many files' results at once (a worker
# its batch's, the ingesting process a period's): Python's 700 sets off a collection every 700 new
# containers, and the older ones walk everything held
RARE_COLLECTIONS = 50_000


def worker_count() -> int:
    """Processes that read files: CCHC_WORKERS, or one per core this process may use."""
    chosen = os.environ.get(WORKERS_ENV, "")
    return int(chosen) if chosen.isdigit() and int(chosen) > 0 else len(os.sched_getaffinity(0))


_pools: dict[int, ProcessPoolExecutor] = {}  # by number of workers: started once, reused


def _started() -> None:
    """A worker process, as it starts: it ends with the process that started it, and collects cycles
    rarely (it reads files for its whole life, and holds a batch's results until the batch is done:
    held as rows of plain values, 218 reports' rows cost a worker 0.1-0.25 ms a file more with Python's
    threshold than with this one)."""
    end_with_parent()
    gc.set_threshold(RARE_COLLECTIONS, *gc.get_threshold()[1:])


def _pool(workers: int) -> ProcessPoolExecutor:
    if workers not in _pools:
        _pools[workers] = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_started
        )
    return _pools[workers]


def _in_pool(workers: int, items: list) -> bool:
    return workers > 1 and len(items) >= POOL_THRESHOLD


def _chunks(items: list, workers: int) -> list[list]:
    """Eight chunks a worker: a worker that finishes early takes the next."""
    size = max(1, len(items) // (workers * 8))
    return [items[start : start + size] for start in range(0, len(items), size)]


def _batch(function: Batch, chunk: list) -> list:
    results = function(chunk)
    if len(results) != len(chunk):  # a reader's bug: results would go to other items
        raise ValueError(f"{function.__name__} gave {len(results)} results for {len(chunk)} items")
    return results


# items handed to the pool before a call asked for them: (function, item) → (its chunk's future, place)
_ahead: dict[tuple[Callable, object], tuple[Future, int]] = {}


def read_ahead(function: Batch, items: Iterable[Item]) -> None:
    """Start `function` over `items` (hashable) in the pool now, behind what it already has, so that a
    later read_all of them takes the results; nothing when read_all would read them in this process."""
    items = [item for item in items if (function, item) not in _ahead]
    workers = worker_count()
    if not _in_pool(workers, items):
        return
    for chunk in _chunks(items, workers):
        try:
            future = _pool(workers).submit(_batch, function, chunk)
        except (BrokenProcessPool, RuntimeError):  # a worker died since: the calls read for themselves
            _pools.clear()
            forget_read_ahead()
            return
        _ahead.update({(function, item): (future, place) for place, item in enumerate(chunk)})


def forget_read_ahead() -> None:
    """Drop what was read ahead and never asked for (a run that failed before reading its files)."""
    for future, _ in _ahead.values():
        future.cancel()
    _ahead.clear()


def stop_workers() -> None:
    """End the pool's processes and forget what they read ahead; the next call that needs them starts
    new ones. `cchc run` calls it once its files are read: idle through the build, the national
    workload's two readers held several hundred MB while the build peaked. It does not wait for them
    to exit (half a second of two interpreters tearing down, which the build need not wait for); the
    pool's own thread reaps them. It waits when a chunk read ahead and never asked for is still being
    read (a failed run's): a cancel does not stop one already handed to a worker, and the build must
    not share the cores and memory with it."""
    busy = any(not future.done() for future, _ in _ahead.values())
    forget_read_ahead()
    for pool in _pools.values():
        pool.shutdown(wait=busy, cancel_futures=True)
    _pools.clear()


def read_all(function: Batch, items: Iterable[Item]) -> list[Result]:
    """The results of `function` (a batch) for `items`, in order; `function` must be importable by name
    (a module-level def). Items read ahead are taken from the pool's results, the others read now: in
    the pool a chunk at a time, or in this process as one batch."""
    items = list(items)
    taken = {
        index: _ahead.pop((function, item))
        for index, item in enumerate(items)
        if _ahead and (function, item) in _ahead
    }
    rest = [item for index, item in enumerate(items) if index not in taken]
    workers = worker_count()
    try:
        if _in_pool(workers, rest):
            pool = _pool(workers)
            futures = [pool.submit(_batch, function, chunk) for chunk in _chunks(rest, workers)]
            fresh = (result for future in futures for result in future.result())
        else:
            fresh = iter(_batch(function, rest) if rest else [])
        return [
            taken[index][0].result()[taken[index][1]] if index in taken else next(fresh)
            for index in range(len(items))
        ]
    except BrokenProcessPool:
        # a worker died (killed, out of memory): this call fails, the next one gets a fresh pool
        # instead of every later run of the process failing on the broken one; but when the pool held
        # items read ahead, the worker may have died on another call's file: this call's items are
        # read once more, on their own
        _pools.clear()
        shared = bool(taken) or bool(_ahead)
        forget_read_ahead()
        if shared:
            return read_all(function, items)
        raise
