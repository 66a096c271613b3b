"""The quality server: one process per user, machine and version of the code that has imported Great
Expectations, and forks a quality worker for each process that connects (quality.worker).

Importing GX takes about 3 s of CPU, and the spawned worker each run started paid it again, and ran the
`cchc` script once more on spawning (about 1 s): 4 s of every `cchc run` and every run the daemon
launches, 97 of the 1,150 CPU-seconds of `make test`. The server pays it once; a fork starts from the
imports in milliseconds, and is the worker of its caller alone, as the spawned one was: it takes the
caller's environment, folder and standard streams, answers its calls one after the other, and ends
when the caller's connection closes, however the caller ended (killed with SIGKILL too).

The address names the user, the Python that runs it and a digest of the `pipelines` package, so a
checkout or a release with other code starts a server of its own. A server that accepted nobody for
`IDLE_SECONDS` exits; its forks go on serving their callers. A server already listening at the address
is left to serve: the second one to start exits.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback

from pipelines import sockets
from pipelines.startup import imports_uncollected

# a server nobody connected to for this long exits (a run every few minutes keeps it)
IDLE_SECONDS = 900
_STREAMS = (1, 2)


def serve(address: str, idle_seconds: float = IDLE_SECONDS) -> None:
    """Listen at `address` (unless a server does already), import GX, then fork a worker per caller."""
    listener = sockets.listening(address)
    if listener is None:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks are reaped by the system
    # an import that fails fails again, with its reason, in the call that needs it (in the fork)
    with contextlib.suppress(BaseException), imports_uncollected():
        import pipelines.quality.validate  # noqa: F401  (GX with it)
    for connection in sockets.accepted(listener, idle_seconds):
        with connection:
            if os.fork() == 0:
                listener.close()
                _work(connection)


def _work(connection) -> None:
    """In the fork: the caller's worker until its connection closes."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        hello = sockets.receive_message(connection, fds=len(_STREAMS))
        if hello is None:
            os._exit(0)
        payload, streams = hello
        for target, stream in zip(_STREAMS, streams, strict=True):
            os.dup2(stream, target)
            os.close(stream)
        caller = pickle.loads(payload)
        os.environ.clear()
        os.environ.update(caller["environment"])
        time.tzset()
        os.umask(caller["umask"])
        os.chdir(caller["folder"])
        threading.Thread(target=_end_when_gone, args=(connection,), daemon=True).start()
        sockets.send_message(connection, pickle.dumps(os.getpid()))
        while (request := sockets.receive_message(connection)) is not None:
            name, arguments = pickle.loads(request[0])
            sockets.send_message(connection, pickle.dumps(_answer(name, arguments)))
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(0)


def _answer(name: str, arguments: tuple) -> tuple[str, object]:
    """("ok", what the call returned) or ("error", its traceback as text): unpickling a GX exception
    would import GX in the caller."""
    try:
        if name == "validate":
            from pipelines.quality.validate import validate

            return "ok", validate(*arguments)
        if name == "build_docs":
            from pipelines.quality.context import build_data_docs

            return "ok", build_data_docs(*arguments)
        raise ValueError(f"no such call: {name}")
    except BaseException:
        return "error", f"the quality worker failed:\n{traceback.format_exc()}"


def _end_when_gone(connection) -> None:
    """Exit once the caller has gone, even in the middle of a call (its connection hung up)."""
    poll = select.poll()
    poll.register(connection.fileno(), select.POLLRDHUP)
    while True:
        for _, events in poll.poll():
            if events & (select.POLLRDHUP | select.POLLHUP | select.POLLERR):
                os._exit(1)


if __name__ == "__main__":
    serve(sys.argv[1])
