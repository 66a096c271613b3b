"""A pool's worker that ends with its parent: the parent killed with SIGKILL, the file readers do not
wait on their queue for ever."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from tests.unit.quality.test_worker import alive

PROBE = textwrap.dedent(
    """
    import sys

    from pipelines.landing.workers import read_all
    from tests.unit.landing.test_workers import spawned, square

    read_all(square, list(range(64)))  # enough to start the readers: CCHC_WORKERS of them
    print(*spawned(), flush=True)
    sys.stdin.read()  # until killed
    """
)


def test_the_readers_end_when_the_process_that_started_them_is_killed():
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "CCHC_WORKERS": "2"},
    )
    try:
        readers = [int(pid) for pid in probe.stdout.readline().split()]
    finally:
        os.kill(probe.pid, signal.SIGKILL)
        probe.wait()
    assert len(readers) == 2
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in readers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in readers)
