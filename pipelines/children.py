"""The processes a run starts for its own work (the file readers) end with it.

A pool's spawned worker waits on its queue for the next task: when its parent is killed with SIGKILL,
nothing tells it, and it would wait for ever, holding its memory (a national reader: hundreds of MB,
more with every such kill). `end_with_parent` is such a pool's initializer: a thread of the worker
waits for the parent and ends the worker once the parent has gone, however it went. Not Linux's
parent-death signal, as `cchc-dbt` uses (warehouse.bound_dbt): that fires when the parent's *thread*
that started the child ends, and a pool starts its workers from whichever thread first hands it work.
"""

from __future__ import annotations

import multiprocessing
import os
import threading


def end_with_parent() -> None:
    """In a worker process: exit as soon as the process that started it has ended."""
    parent = multiprocessing.parent_process()
    if parent is None:  # not a child of multiprocessing's
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="end-with-parent").start()
