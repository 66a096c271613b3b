"""Unix sockets between the processes of one user on one machine, in Linux's abstract namespace (no
file to leave behind when a process is killed): how a run reaches a server that has imported a heavy
library ahead (quality.server, warehouse.warm_dbt), and how that server tells its caller is the same
user.

A server's address names the user, the Python that runs it and a digest of the `pipelines` package: a
checkout or a release with other code reaches a server of its own. A message is its length (4 bytes)
and its bytes; open file descriptors may go with it (SCM_RIGHTS).
"""

from __future__ import annotations

import hashlib
import os
import select
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from pipelines.code_digest import digest_folder

_LENGTH = struct.Struct("!I")
# a message longer than this is no message of ours
_LONGEST = 64 << 20
# a server exits after this long, however busy (accepted)
LIFETIME_SECONDS = 6 * 3600
_CREDENTIALS = struct.Struct("3i")  # SO_PEERCRED: pid, uid, gid


@cache
def server_address(name: str) -> str:
    """The address of this user's server `name` for this Python, this code and these installed
    packages (when the folders of installed packages last changed: an install or removal changes it).
    The Python is the interpreter itself, whichever of its names started the process (a virtualenv's
    `python` and `python3`: `cchc` and `cchc-dbt` start as `python3`, a `python -m` as `python`); the
    site folders tell one virtualenv from another."""
    package = Path(__file__).resolve().parent
    installed = [f"{folder}:{os.stat(folder).st_mtime_ns}" for folder in sys.path if _is_site(folder)]
    python = os.path.realpath(sys.executable)
    key = f"{python}|{package}|{digest_folder(package)}|{'|'.join(installed)}"
    return f"cchc-{name}-{os.getuid()}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _is_site(folder: str) -> bool:
    return folder.endswith(("site-packages", "dist-packages")) and os.path.isdir(folder)


def current_umask() -> int:
    """This process's umask (read by setting it, then set back), which a server's fork takes on."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def start_server(module: str, address: str) -> None:
    """Start `python -m module address`, in a session of its own: it outlives the process that started
    it, for the next run (its forks end with their callers)."""
    subprocess.Popen(
        # -P: the caller's folder (a checkout's dbt/ project among others) is not put on the path
        [sys.executable, "-P", "-m", module, address],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd="/",
    )


def connected_or_started(module: str, address: str, seconds: float) -> socket.socket | None:
    """A connection to the server at `address`, started (start_server) when none listens and waited
    for `seconds` (it listens before its imports: the connection is then accepted once they are done);
    None when it does not listen in time."""
    connection = connected(address)
    if connection is None:
        start_server(module, address)
        deadline = time.monotonic() + seconds
        while connection is None and time.monotonic() < deadline:
            time.sleep(0.05)
            connection = connected(address)
    return connection


def accepted(
    listener: socket.socket, idle_seconds: float, lifetime_seconds: float = LIFETIME_SECONDS
) -> Iterator[socket.socket]:
    """The connections of this user's processes to `listener`, one after the other, until none came
    for `idle_seconds` or `lifetime_seconds` have passed (a server kept busy is replaced now and
    then: the next caller starts another); the caller closes each."""
    started = last = time.monotonic()
    while time.monotonic() - last < idle_seconds and time.monotonic() - started < lifetime_seconds:
        ready, _, _ = select.select([listener], [], [], 1.0)
        if not ready:
            continue
        connection, _ = listener.accept()
        last = time.monotonic()
        if same_user(connection):
            yield connection
        else:
            connection.close()


def listening(address: str, backlog: int = 8) -> socket.socket | None:
    """A socket listening at `address`; None when another process listens there already."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind("\0" + address)
    except OSError:
        listener.close()
        return None
    listener.listen(backlog)
    return listener


def connected(address: str) -> socket.socket | None:
    """A connection to this user's process listening at `address`; None when none listens (or the one
    that does is another user's: an address in the abstract namespace is anyone's to take, and a
    caller hands its server its environment and its streams)."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect("\0" + address)
        if same_user(connection):
            return connection
    except OSError:
        pass
    connection.close()
    return None


def same_user(connection: socket.socket) -> bool:
    """Is the process at the other end of `connection` this user's?"""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CREDENTIALS.size)
    return _CREDENTIALS.unpack(credentials)[1] == os.getuid()


def send_message(connection: socket.socket, payload: bytes, fds: list[int] | tuple[int, ...] = ()) -> None:
    """Send `payload` (with the file descriptors `fds`) as one message."""
    data = _LENGTH.pack(len(payload)) + payload
    if fds:
        sent = socket.send_fds(connection, [data], list(fds))
        data = data[sent:]
    connection.sendall(data)


def receive_message(connection: socket.socket, fds: int = 0) -> tuple[bytes, list[int]] | None:
    """The next message and the file descriptors sent with it (at most `fds`); None when the other end
    closed the connection before a whole message came."""
    received: list[int] = []
    head = b""
    while len(head) < _LENGTH.size:
        if fds and not received and not head:
            chunk, received, _, _ = socket.recv_fds(connection, _LENGTH.size, fds)
        else:
            chunk = connection.recv(_LENGTH.size - len(head))
        if not chunk:
            return _closed(received)
        head += chunk
    (length,) = _LENGTH.unpack(head)
    if length > _LONGEST:
        return _closed(received)
    payload = bytearray()
    while len(payload) < length:
        chunk = connection.recv(min(length - len(payload), 1 << 20))
        if not chunk:
            return _closed(received)
        payload += chunk
    return bytes(payload), received


def _closed(received: list[int]) -> None:
    for fd in received:
        os.close(fd)
    return None
