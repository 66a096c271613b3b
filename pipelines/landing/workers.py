"""Read many landed files across the machine's cores.

Reading a workbook is CPU-bound Python, so threads do not help; a pool of processes does. The pool
is started once per process (spawned, not forked: the Dagster process runs threads) and reused by
every run of that process; a handful of files is read in the calling process, where starting
workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# below this many files, reading in the calling process is faster than handing them to workers
POOL_THRESHOLD = 64
WORKERS_ENV = "CCHC_WORKERS"


def worker_count() -> int:
    """Processes that read files: CCHC_WORKERS, or one per core this process may use."""
    chosen = os.environ.get(WORKERS_ENV, "")
    return int(chosen) if chosen.isdigit() and int(chosen) > 0 else len(os.sched_getaffinity(0))


@cache
def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def read_all(function: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """`function` over `items`, in order; `function` must be importable by name (a module-level def)."""
    items = list(items)
    workers = worker_count()
    if workers == 1 or len(items) < POOL_THRESHOLD:
        return [function(item) for item in items]
    chunk = max(1, len(items) // (workers * 8))
    try:
        return list(_pool(workers).map(function, items, chunksize=chunk))
    except BrokenProcessPool:
        # a worker died (killed, out of memory): this call fails, the next one gets a fresh pool
        # instead of every later run of the process failing on the broken one
        _pool.cache_clear()
        raise
