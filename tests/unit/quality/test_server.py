"""The quality server: one per address (a second exits at once), a fork per caller that takes the
caller's folder, umask and standard streams (and its environment, which /proc does not show) and
answers a call it does not know with the reason as text, and an exit once nobody connected for its
idle time."""

import os
import pickle
import subprocess
import sys
import time
import uuid
from pathlib import Path

from pipelines import sockets
from tests.unit.quality.test_worker import alive

SERVE = "import sys; from pipelines.quality.server import serve; serve(sys.argv[1], float(sys.argv[2]))"


def _server(address: str, idle: float) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-c", SERVE, address, str(idle)])
    deadline = time.monotonic() + 30
    while (probe := sockets.connected(address)) is None:
        assert server.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    probe.close()
    return server


def test_a_fork_serves_one_caller_as_itself_and_the_server_ends_when_idle(tmp_path):
    address = f"cchc-quality-test-{uuid.uuid4().hex}"
    server = _server(address, idle=3)
    try:
        second = subprocess.run([sys.executable, "-c", SERVE, address, "60"], timeout=60)
        assert second.returncode == 0  # the address was taken: it left it to the first
        printed = tmp_path / "printed.txt"
        connection = sockets.connected(address)
        with connection, printed.open("w") as stream:
            caller = {"environment": dict(os.environ), "folder": str(tmp_path), "umask": 0o027}
            sockets.send_message(connection, pickle.dumps(caller), fds=[stream.fileno(), stream.fileno()])
            worker = pickle.loads(sockets.receive_message(connection)[0])
            assert Path(f"/proc/{worker}/cwd").resolve() == tmp_path.resolve()
            assert Path(f"/proc/{worker}/fd/2").resolve() == printed.resolve()
            status = Path(f"/proc/{worker}/status").read_text()
            assert "Umask:\t0027" in status
            sockets.send_message(connection, pickle.dumps(("no_such_call", ())))
            outcome, text = pickle.loads(sockets.receive_message(connection)[0])
            assert outcome == "error" and "ValueError: no such call: no_such_call" in text
        deadline = time.monotonic() + 10
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(worker)  # its caller's connection closed
        assert server.wait(timeout=30) == 0  # nobody connected for 3 s
    finally:
        if server.poll() is None:
            server.kill()
    assert sockets.connected(address) is None
