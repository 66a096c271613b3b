"""Unix sockets between the processes of one user on one machine, in Linux's abstract namespace (no
file to leave behind when a process is killed): how a run reaches a process that has imported a heavy
library ahead (the quality server; warm dbt), and how that process tells its caller is the same user.

A message is its length (4 bytes) and its bytes; open file descriptors may go with it (SCM_RIGHTS).
"""

from __future__ import annotations

import os
import socket
import struct

_LENGTH = struct.Struct("!I")
_CREDENTIALS = struct.Struct("3i")  # SO_PEERCRED: pid, uid, gid


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
    """A connection to the process listening at `address`; None when none listens."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect("\0" + address)
    except OSError:
        connection.close()
        return None
    return connection


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
