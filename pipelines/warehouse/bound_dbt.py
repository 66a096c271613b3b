"""`cchc-dbt`: dbt, bound to the process that starts it.

dagster-dbt starts dbt as a child process. Killed with SIGKILL, a run cannot end its children, and an
orphaned `dbt build` would go on holding the warehouse's write lock, so that every later run waits for
it. This wrapper asks Linux to kill it when its parent dies (PR_SET_PDEATHSIG, kept across exec), then
becomes dbt. Elsewhere it simply becomes dbt.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def bind_to_parent() -> None:
    """Die with the parent process; exit now if it is already gone (adopted by init)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if os.getppid() == 1:
        sys.exit("cchc-dbt: the process that started dbt is gone")


def main() -> None:
    bind_to_parent()
    dbt = str(Path(sys.executable).parent / "dbt")
    os.execv(dbt, [dbt, *sys.argv[1:]])
