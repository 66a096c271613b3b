"""Messages between two processes of one user: whole whatever their size, with the descriptors sent
beside them, and an end told from a message cut short; one listener per address."""

import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

from pipelines import sockets


def _pair() -> tuple[socket.socket, socket.socket]:
    address = f"cchc-test-{uuid.uuid4().hex}"
    listener = sockets.listening(address)
    caller = sockets.connected(address)
    served, _ = listener.accept()
    listener.close()
    return caller, served


def test_one_listener_per_address_and_none_to_connect_to_without_it():
    address = f"cchc-test-{uuid.uuid4().hex}"
    assert sockets.connected(address) is None
    first = sockets.listening(address)
    try:
        assert first is not None
        assert sockets.listening(address) is None  # a second server leaves it to the first
        caller = sockets.connected(address)
        served, _ = first.accept()
        assert sockets.same_user(served) and sockets.same_user(caller)
        caller.close()
        served.close()
    finally:
        first.close()
    assert sockets.connected(address) is None


def test_a_message_comes_whole_with_its_descriptors(tmp_path):
    caller, served = _pair()
    big = os.urandom(3 << 20)  # more than one read
    printed = tmp_path / "printed.txt"
    with caller, served, printed.open("w") as file:
        sockets.send_message(caller, b"hello", fds=[file.fileno()])
        sending = threading.Thread(target=lambda: [sockets.send_message(caller, m) for m in (big, b"")])
        sending.start()  # more than the socket holds: read as it is sent
        payload, fds = sockets.receive_message(served, fds=1)
        assert payload == b"hello" and len(fds) == 1
        os.write(fds[0], b"written through the descriptor sent")
        os.close(fds[0])
        assert sockets.receive_message(served) == (big, [])
        assert sockets.receive_message(served) == (b"", [])
        sending.join()
    assert printed.read_text() == "written through the descriptor sent"


def test_an_end_before_a_whole_message_is_no_message():
    caller, served = _pair()
    with served:
        caller.sendall(b"\x00\x00\x00\x10only part")  # 16 bytes announced, 9 sent
        caller.close()
        assert sockets.receive_message(served) is None
    caller, served = _pair()
    with served:
        caller.close()
        assert sockets.receive_message(served, fds=3) is None


def test_a_server_has_one_address_whichever_name_of_the_python_started_the_process():
    """`python -m pipelines.cli run` warms the dbt server that `cchc-dbt` (a `python3` script) then
    calls: one address for the two names of a virtualenv's interpreter."""
    probe = "from pipelines import sockets; print(sockets.server_address('dbt'))"
    names = [Path(sys.executable).with_name(name) for name in ("python", "python3")]
    assert all(name.exists() for name in names)
    addresses = {
        subprocess.run([str(name), "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
        for name in names
    }
    assert len(addresses) == 1, addresses
