"""dbt, imported ahead: a server of this user's that has loaded dbt-core and the DuckDB adapter (one
per machine and version of the code, sockets.server_address), and each dbt invocation is a fork of it
rather than a new Python importing dbt (1.3 s of every invocation on the 2-core machine: of a sample
build's 13.9 s, of a national one-new-report build's 11 s). Started by the first run that builds (or
the first `cchc-dbt` that finds none), it serves every later one: the runs of `cchc run`, those the
daemon and the UI launch, and `cchc-dbt` by hand; it exits once nobody called it for `IDLE_SECONDS`.
Before it served one run alone and ended with it, so every run imported dbt again (3.7 s of CPU; 78 of
the 1,150 CPU-seconds of `make test`).

`cchc-dbt` (bound_dbt) connects, hands over its arguments, environment, folder and its standard
streams, and waits: the fork runs dbt on the caller's streams, so dagster-dbt reads dbt's lines from
`cchc-dbt` as before, and its exit status comes back as `cchc-dbt`'s. A fork starts from the imports
alone (no invocation ever runs in the server), with two differences only: its `dbt build` leaves out
the manifest files nobody reads in a build's folder (`_builds_without_manifest_files`), and it drops as
they are fired the events none of its loggers writes (`_events_only_where_they_are_written`). When no
server answers in time, `cchc-dbt` runs dbt itself, which writes those files and builds every event.

Decoded ahead too: dbt's saved parse that a run's build will start from (`start(parse)`: the file
dbt_assets copies into the build's target folder; 2 MB of msgpack, 0.2-0.4 s to decode), the last one
asked for. A fork given those same bytes to decode takes the object decoded ahead instead, and dbt goes
on as it would: it checks the saved parse against the project, profile, variables and files as ever,
and re-parses what changed.

Ending: a fork runs dbt for as long as its `cchc-dbt` is connected and exits when that connection
closes, so killing `cchc-dbt` (or the run, which kills `cchc-dbt` by the parent-death signal) ends the
dbt it started, and the writer lock with it. SIGINT and SIGTERM sent to `cchc-dbt` (dagster-dbt stops a
cancelled build with SIGINT) are passed on to the fork. The socket is in Linux's abstract namespace,
so a killed server leaves no file behind, and only the same user's processes are served. A fork runs
the exit handlers a dbt process runs (multiprocessing's, logging's, the adapter's) before it reports.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from pipelines import sockets
from pipelines.startup import imports_uncollected

# what dbt imports before and while it builds, beside the command line itself
_IMPORTS = ("dbt.cli.main", "dbt.adapters.duckdb", "dbt.task.build", "dbt.parser.manifest")
_STREAMS = (0, 1, 2)
DECODED_AHEAD = "dbt's saved parse decoded ahead by the dbt server"
_STATUS = struct.Struct("!i")
# a server nobody called for this long exits (a run every few minutes keeps it)
IDLE_SECONDS = 900
# how long `cchc-dbt` waits for a server it started to listen (it listens before its imports), then for
# the server's fork to answer (the imports take a few seconds)
_STARTING_SECONDS = 5
_ANSWER_SECONDS = 60

# in the server and its forks: the saved parse's bytes and the manifest decoded from them
_decoded: tuple[bytes, object] | None = None


# names the address of another server than this code's (a test's own)
SERVER_ENV = "CCHC_DBT_SERVER"


def server_address() -> str:
    """Where this code's dbt server listens (sockets.server_address), unless CCHC_DBT_SERVER says."""
    return os.environ.get(SERVER_ENV) or sockets.server_address("dbt")


def start(parse: Path | None = None) -> None:
    """Get the server ready for this run's dbt invocations: started when none listens (it imports dbt
    meanwhile); with `parse`, dbt's saved parse (partial_parse.msgpack) the build will start from,
    decoded ahead. Returns at once (within a moment when it starts the server for a parse)."""
    # a server just started listens within a moment, before its imports: the parse waits for it
    connection = sockets.connected_or_started(__name__, server_address(), 2 if parse else 0)
    if connection is None:
        return
    with connection, contextlib.suppress(OSError):
        if parse is not None:
            sockets.send_message(connection, json.dumps({"decode": str(parse)}).encode())


# ---- in `cchc-dbt`


def run_here(arguments: list[str]) -> int | None:
    """Run dbt with `arguments` in a fork of the server, on this process's streams, folder and
    environment; its exit status, or None when no server answers (the caller then runs dbt itself)."""
    connection = sockets.connected_or_started(__name__, server_address(), _STARTING_SECONDS)
    if connection is None:
        return None
    try:
        folder = os.getcwd()
    except OSError:  # removed: dbt itself says what it makes of it
        connection.close()
        return None
    umask = sockets.current_umask()
    request = {"arguments": arguments, "environment": dict(os.environ), "folder": folder, "umask": umask}
    passed_on = PassedOn()  # from before the fork can exist: a cancel is never lost, however early
    try:
        sockets.send_message(connection, json.dumps(request).encode(), fds=_STREAMS)
        # the server forks once it has imported dbt (and decoded a parse): a stuck one is left to itself
        connection.settimeout(_ANSWER_SECONDS)
        pid = _read_number(connection)
        connection.settimeout(None)
    except OSError:  # TimeoutError too
        pid = None
    if pid is None or pid <= 1:  # nothing ran: its fork, if any, ends with this connection
        connection.close()
        passed_on.nothing_ran()
        return None
    passed_on.to(pid)
    try:
        status = _read_number(connection)
    except OSError:
        status = None
    if status is None:
        print("cchc-dbt: dbt ended without an exit status", file=sys.stderr)
        return 1
    return status


class PassedOn:
    """SIGINT and SIGTERM that `cchc-dbt` receives (dagster-dbt stops a cancelled build with SIGINT)
    go to the fork running dbt: held until its pid is known (`to`), passed on from then. When no fork
    runs dbt (`nothing_ran`), the handlers are put back and a signal held is taken as it would have
    been: `cchc-dbt` ends by it, rather than running dbt itself after a cancel."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.held: list[int] = []
        self.before = {sent: signal.signal(sent, self._received) for sent in (signal.SIGINT, signal.SIGTERM)}

    def _received(self, number: int, _frame) -> None:
        if self.pid is None:
            self.held.append(number)
        else:
            _pass_on(self.pid, number)

    def to(self, pid: int) -> None:
        self.pid = pid
        for number in self.held:
            _pass_on(pid, number)

    def nothing_ran(self) -> None:
        for sent, handler in self.before.items():
            signal.signal(sent, handler)
        for number in self.held:
            signal.raise_signal(number)


def _pass_on(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, number)


def _read_number(connection: socket.socket) -> int | None:
    """The next number the fork sends (its pid, then dbt's exit status); None if it went first."""
    data = b""
    while len(data) < _STATUS.size:
        try:
            chunk = connection.recv(_STATUS.size - len(data))
        except InterruptedError:
            continue
        if not chunk:
            return None
        data += chunk
    return _STATUS.unpack(data)[0]


# ---- the server


def _serve(address: str, idle_seconds: float = IDLE_SECONDS) -> None:
    # listening before importing: an invocation that comes meanwhile waits for the imports, which it
    # would otherwise make itself
    listener = sockets.listening(address)
    if listener is None:  # another server listens there
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks are reaped by the system
    with imports_uncollected():
        for module in _IMPORTS:
            __import__(module)
        _schemas_ahead()
    for connection in sockets.accepted(listener, idle_seconds):
        with connection:
            received = _receive(connection)
            if received is None:  # gone, or half a request: its caller runs dbt
                continue
            request, streams = received
            if "decode" in request:
                for stream in streams:
                    os.close(stream)
                _decode_ahead(Path(request["decode"]))
                continue
            if os.fork() == 0:
                listener.close()
                _run_dbt(connection, request, streams)
            for stream in streams:
                os.close(stream)


def _decode_ahead(parse: Path) -> None:
    """Decode dbt's saved parse as dbt would (ManifestLoader.read_manifest_for_partial_parse); nothing
    when it cannot be read or decoded: dbt then meets the same file, and says what it makes of it."""
    global _decoded
    from dbt.contracts.graph.manifest import Manifest
    from dbt.parser.manifest import extended_mashumuro_decoder

    with contextlib.suppress(Exception):
        data = parse.read_bytes()
        _decoded = (data, Manifest.from_msgpack(data, decoder=extended_mashumuro_decoder))


# the contracts every dbt invocation validates its project, flags, packages, selectors and profile
# against: each builds its JSON schema once per process (0.3 s of every invocation)
_CONTRACTS = (
    ("dbt.contracts.project", "Configuration"),
    ("dbt.contracts.project", "Project"),
    ("dbt.contracts.project", "ProjectFlags"),
    ("dbt.contracts.project", "PackageConfig"),
    ("dbt.contracts.project", "ProfileConfig"),
    ("dbt.contracts.selection", "SelectorFile"),
    ("dbt.adapters.duckdb.credentials", "DuckDBCredentials"),
)


def _schemas_ahead() -> None:
    """Build, in the server, the JSON schemas every invocation validates against (dbt keeps them in a
    cache of the class): each fork starts with them rather than building them again. Not the Jinja of
    the macros, which dbt compiles when first called (0.14 s of a fork's build): compiling the 532 of
    a parse takes a server 1 s, more than it saves a server that serves a few forks (a test's own)."""
    for module, name in _CONTRACTS:
        with contextlib.suppress(Exception):
            getattr(__import__(module, fromlist=[name]), name).json_schema()


def _use_decoded_ahead() -> None:
    """In a fork: dbt's decoding of the saved parse answers the manifest decoded ahead when it is given
    the same bytes (in a fork, the object is this invocation's own), once, saying so in dbt's debug log;
    anything else, and any decoding after, is dbt's own."""
    global _decoded
    if _decoded is None:
        return
    from dbt.contracts.graph.manifest import Manifest
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.functions import fire_event
    from dbt_common.events.types import Note

    decode = Manifest.from_msgpack.__func__
    data, manifest = _decoded

    def from_msgpack(cls, given, *arguments, **options):
        global _decoded
        if cls is not Manifest or given != data:
            return decode(cls, given, *arguments, **options)
        Manifest.from_msgpack = classmethod(decode)
        _decoded = None
        fire_event(Note(msg=f"{DECODED_AHEAD} ({len(given)} bytes)"), level=EventLevel.DEBUG)
        return manifest

    Manifest.from_msgpack = classmethod(from_msgpack)
    # decoding made a lock (Manifest.__post_deserialize__), which started multiprocessing's resource
    # tracker in the server: this dbt starts its own, as a dbt process does, rather than
    # reporting to the one every fork would share
    from multiprocessing import resource_tracker

    tracker = resource_tracker._resource_tracker
    if tracker._fd is not None:
        os.close(tracker._fd)
        tracker._fd = tracker._pid = None


def _receive(connection: socket.socket) -> tuple[dict, list[int]] | None:
    """A request to decode a parse ahead, or to run dbt with the caller's three streams; None for
    anything else."""
    streams: list[int] = []
    try:
        connection.settimeout(10)
        message = sockets.receive_message(connection, fds=len(_STREAMS))
        if message is None:
            raise ValueError("the request ended early")
        payload, streams = message
        request = json.loads(payload)
        run = {"arguments", "environment", "folder", "umask"}
        if not isinstance(request, dict) or not ("decode" in request or run <= set(request)):
            raise ValueError("not a request of cchc-dbt")
        if "decode" not in request and len(streams) != len(_STREAMS):
            raise ValueError("a request to run dbt without the caller's streams")
        connection.settimeout(None)
        return request, streams
    except (OSError, ValueError):
        for stream in streams:
            os.close(stream)
        return None


def _run_dbt(connection: socket.socket, request: dict, streams: list[int]) -> None:
    """In the fork: become the dbt invocation `cchc-dbt` asked for, then report its exit status."""
    code = 1
    try:
        # a dbt process's signals and streams before `cchc-dbt` learns this pid and passes SIGINT on:
        # one passed on earlier would find it still ignored (the server's) and be lost, dbt running on
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, stream in zip(_STREAMS, streams, strict=True):
            os.dup2(stream, target)
            os.close(stream)
        connection.sendall(_STATUS.pack(os.getpid()))
        threading.Thread(target=_end_when_gone, args=(connection,), daemon=True).start()
        os.environ.clear()
        os.environ.update(request["environment"])
        time.tzset()
        os.umask(request["umask"])
        os.chdir(request["folder"])
        _use_decoded_ahead()
        _builds_without_manifest_files()
        _events_only_where_they_are_written()
        _type_testers_kept()
        code = _dbt_main(request["arguments"])
    except BaseException:
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()  # as a dbt process ending: multiprocessing's locks, logging
            sys.stdout.flush()
            sys.stderr.flush()
            connection.sendall(_STATUS.pack(code))
        os._exit(code)


def _builds_without_manifest_files() -> None:
    """In a fork: a `dbt build` writes no manifest.json and semantic_manifest.json (twice: when it has
    parsed and again at the end, 2.6 MB each) nor graph.gpickle into the build's target folder, what
    `--no-write-json` leaves out but run_results.json: about 0.5 s of every build. Nothing reads them
    there: dagster-dbt and the run read the manifest `make manifest` prepared (dbt/target), the run the
    build's run_results.json (with each node's compiled SQL), which dbt still writes, and the next build
    the saved parse. Any other command (`parse`, `docs generate`) writes them as dbt does."""
    import dbt.parser.manifest
    import dbt.task.runnable
    from dbt.compilation import Compiler
    from dbt.flags import get_flags

    def unless_building(write: Callable[..., None]) -> Callable[..., None]:
        def written(*arguments, **options) -> None:
            if getattr(get_flags(), "WHICH", None) != "build":  # the command dbt's own parser found
                write(*arguments, **options)

        return written

    dbt.parser.manifest.write_manifest = unless_building(dbt.parser.manifest.write_manifest)  # parsed
    dbt.task.runnable.write_manifest = unless_building(dbt.task.runnable.write_manifest)  # at the end
    Compiler.write_graph_file = unless_building(Compiler.write_graph_file)


def _type_testers_kept() -> None:
    """In a fork: the agate type tester dbt makes for every result it reads into a table (each query a
    materialization or a test runs through `run_query`, `get_columns_in_relation`, a test's failures) is
    made once for each set of text-only columns and shared after, as dbt already shares its default
    one (DEFAULT_TYPE_TESTER) between all results. Each new one made three parsedatetime calendars
    (Date, DateTime, ISODateTime), parsing their locale again: 812 in a full build of the sample
    warehouse, 0.81 CPU-seconds of its ~20. A tester is not changed by testing a table (agate's
    TypeTester.run only reads it)."""
    from dbt_common.clients import agate_helper

    build = agate_helper.build_type_tester
    kept: dict[tuple, object] = {}  # agate.TypeTester by (text-only columns, null values)

    def build_type_tester(text_columns, string_null_values=("null", "")):
        text_columns = frozenset(text_columns)  # a set, in dbt's results: its order is not the tester's
        key = (text_columns, None if string_null_values is None else tuple(string_null_values))
        if key not in kept:
            kept[key] = build(text_columns, key[1])
        return kept[key]

    agate_helper.build_type_tester = build_type_tester


def _events_only_where_they_are_written() -> None:
    """In a fork: an event below the level of every logger dbt set up (its lines on stdout, its file)
    and below a warning is dropped as it is fired. dbt builds each event's message and turns it into a
    JSON line before the logger's level drops it, the debug ones (each SQL statement, connection and
    cache step) too: 2.0 s of a full build's 11 s of the sample warehouse (8.9-9.3 s against 10.9-11.3,
    two a side), the same 724 lines printed. A logger at debug (`--log-level debug`,
    DBT_LOG_LEVEL_FILE=debug) gets every event as before, and so does a callback that is not dbt's own
    behaviour-change tracker (which looks only at a warning), any warning and error, and what dbt
    prints as an error whatever its level (a `print()`, `ls`, `show`: what `--quiet` still prints)."""
    from dbt.tracking import track_behavior_change_warn
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.event_manager import EventManager
    from dbt_common.events.logger import PRINT_EVENT_NAMES

    rank = {level: order for order, level in enumerate(EventLevel)}  # debug, test, info, warn, error
    fire = EventManager.fire_event

    def fire_event(self, e, level=None, node=None, force_warn_or_error_handling=False) -> None:
        order = rank[level or e.level_tag()]
        if (
            order < rank[EventLevel.WARN]
            and not force_warn_or_error_handling
            and type(e).__name__ not in PRINT_EVENT_NAMES
            and all(order < rank[logger.level] for logger in self.loggers)
            and all(callback is track_behavior_change_warn for callback in self.callbacks)
        ):
            return
        fire(self, e, level=level, node=node, force_warn_or_error_handling=force_warn_or_error_handling)

    EventManager.fire_event = fire_event


def _end_when_gone(connection: socket.socket) -> None:
    """Exit once `cchc-dbt` has gone: it sends nothing, so anything read is its end."""
    with contextlib.suppress(OSError):
        connection.recv(1)
    os._exit(1)


def _dbt_main(arguments: list[str]) -> int:
    from dbt.cli.main import cli

    sys.argv = ["dbt", *arguments]
    try:
        cli.main(args=arguments, prog_name="dbt")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


if __name__ == "__main__":
    _serve(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else IDLE_SECONDS)
