"""Named moments at which a crash test kills a run: the run is crash-only, and the tests prove it.

With CCHC_CRASH_AT=<moment> in its environment, a run that reaches the moment says so on stderr and
waits there to be killed (SIGKILL, as an operator or the machine would); anything else in its
environment, and always in use, `reached` does nothing. The kill is real: only its timing is chosen.
"""

from __future__ import annotations

import os
import sys
import time

CRASH_ENV = "CCHC_CRASH_AT"
# inside the transaction that writes a batch of loaded files to the raw tables
INGESTION = "ingestion"
# the published copy's new file is written beside it, not yet put in place
PUBLISH = "publish"


def reached(moment: str) -> None:
    """Wait here forever if a crash test asked to be killed at `moment`."""
    if os.environ.get(CRASH_ENV) != moment:
        return
    print(f"crash point reached: {moment} (pid {os.getpid()})", file=sys.stderr, flush=True)
    while True:
        time.sleep(60)
