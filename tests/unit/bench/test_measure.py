"""The memory the benchmark reports: the run's own process tree, and the dbt and quality servers with
their forks, which serve the run (its dbt and its quality worker) without being its children."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from pipelines.bench import measure

# says so once its child is started (and its own imports made)
SERVER = (
    "import subprocess, sys, time; subprocess.Popen(['sleep', '60']); print('started', flush=True); "
    "time.sleep(60)"
)


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024


def test_the_servers_and_their_forks_count_with_the_run(monkeypatch):
    address = f"cchc-test-{uuid.uuid4().hex}"
    run = subprocess.Popen(["sleep", "60"])
    # its address last, as a server's; its child in its group, killed with it
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, address], start_new_session=True, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout.readline() == "started\n"
        monkeypatch.setattr(measure, "_servers", lambda: {f"cchc-other-{uuid.uuid4().hex}"})
        alone = measure._tree_rss_mb(run.pid)
        monkeypatch.setattr(measure, "_servers", lambda: {address})
        served = measure._tree_rss_mb(run.pid)
        assert alone < 5 <= _rss_mb(server.pid)  # `sleep` alone; a Python beside it
        assert served >= alone + _rss_mb(server.pid)
    finally:
        run.kill()
        os.killpg(server.pid, signal.SIGKILL)
