"""dbt imported ahead: a `cchc-dbt` runs dbt in a fork of the user's dbt server, on its own streams,
folder and environment, with dbt's exit status; killing `cchc-dbt` or the run ends that dbt, not the
server, which serves any process's `cchc-dbt` and exits once idle; the saved parse a build starts from
is decoded ahead, and dbt parses the same from it. Each test has a server of its own (CCHC_DBT_SERVER),
which it stops."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.warehouse import warm_dbt
from pipelines.warehouse.bound_dbt import FILE_LOG_LEVEL, WAREHOUSE_FILE_ENV
from pipelines.warehouse.project import PARSE_MADE_HERE, PARTIAL_PARSE, PREPARED_PARSE
from tests.unit.quality.test_worker import alive

pytestmark = pytest.mark.long  # queued first (tests/integration/conftest.py)

CCHC_DBT = str(Path(sys.executable).parent / "cchc-dbt")

# a run: gets the dbt server ready (starts it: the test's own; with a parse, once it listens, so that
# the parse is decoded ahead however long the server takes to start), then starts the commands it is
# sent (one JSON line each) and answers their pid, or waits for one and answers its status and output
RUN = textwrap.dedent(
    """
    import json, os, subprocess, sys, time

    from pathlib import Path
    from pipelines.warehouse import warm_dbt

    warm_dbt.start()
    if len(sys.argv) > 1:
        deadline = time.monotonic() + 60
        listening = lambda: f" @{warm_dbt.server_address()}\\n" in Path("/proc/net/unix").read_text()
        while not listening() and time.monotonic() < deadline:
            time.sleep(0.05)
        warm_dbt.start(Path(sys.argv[1]))
    print(os.getpid(), flush=True)
    started = {}
    for line in sys.stdin:
        asked = json.loads(line)
        if "start" in asked:
            process = subprocess.Popen(
                asked["start"], cwd=asked["cwd"], env={**os.environ, **asked["env"]},
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            started[process.pid] = process
            print(json.dumps(process.pid), flush=True)
        else:
            out, err = started[asked["wait"]].communicate()
            print(json.dumps([started[asked["wait"]].returncode, out, err]), flush=True)
    """
)


class Run:
    """A run with a dbt server of its own (at `address`), which the test stops (`stop_server`)."""

    def __init__(self, parse: Path | None = None, address: str | None = None):
        self.address = address or f"cchc-dbt-test-{uuid.uuid4().hex}"
        self.process = subprocess.Popen(
            [sys.executable, "-c", RUN, *([str(parse)] if parse else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, warm_dbt.SERVER_ENV: self.address},
        )
        self.pid = int(self.process.stdout.readline())

    def ask(self, **asked):
        self.process.stdin.write(json.dumps(asked) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def start(self, *command: str, cwd: Path = DBT_PROJECT_DIR, **env: str) -> int:
        return self.ask(start=list(command), cwd=str(cwd), env=env)

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop_server(self):
        """The server and its forks (their command line is the server's), those still there."""
        for pid, (_, command) in _processes().items():
            if self.address in command:
                with contextlib.suppress(ProcessLookupError):  # a fork ending as it was listed
                    os.kill(pid, signal.SIGKILL)


def _processes() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command line) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if stat[0] != "Z":
                found[int(entry.name)] = (int(stat[1]), command)
    return found


def _server(run: Run) -> int:
    """The run's dbt server (its command: python -P -m pipelines.warehouse.warm_dbt <address>)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for pid, (_, command) in _processes().items():
            if "warm_dbt" in command and command.split()[-1] == run.address:
                return pid
        time.sleep(0.05)
    raise AssertionError("the run started no dbt server")


def _listening(run: Run) -> None:
    """Wait until the server listens: a test of what a fork does must not time the server's start."""
    _server(run)
    sockets = Path("/proc/net/unix")
    assert _until(lambda: f" @{run.address}\n" in sockets.read_text()), "the server never listened"


def _children(parent: int) -> list[int]:
    """The forks of the server `parent` (not multiprocessing's resource tracker beside them)."""
    return [pid for pid, (ppid, command) in _processes().items() if ppid == parent and "warm_dbt" in command]


def _until(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def _long_parse(run: Run, tmp_path: Path, *, shell: bool = False) -> int:
    """`dbt parse` of the whole project, not from the last parse: long enough to be found and killed."""
    command = [CCHC_DBT, "parse", "--no-partial-parse", "--target-path", str(tmp_path / "long")]
    return run.start("sh", "-c", " ".join(command) + "; true") if shell else run.start(*command)


def test_dbt_runs_in_a_fork_on_the_callers_streams_and_gives_its_exit_status(tmp_path):
    run = Run(PREPARED_PARSE)
    try:
        waiting = _server(run)
        # what dbt prints reaches the caller's own stdout and stderr, with dbt's status
        version = run.start(CCHC_DBT, "--version")
        code, out, err = run.ask(wait=version)
        assert code == 0 and "installed: " in out
        wrong = run.start(CCHC_DBT, "no-such-command")
        code, out, err = run.ask(wait=wrong)
        assert code == 2 and "No such command 'no-such-command'" in err

        # a whole dbt command, with the caller's environment: the target folder named there
        target = tmp_path / "target"
        target.mkdir()
        shutil.copy(PREPARED_PARSE, target)
        code, out, err = run.ask(wait=run.start(CCHC_DBT, "parse", DBT_TARGET_PATH=str(target)))
        assert code == 0 and (target / "manifest.json").is_file(), out[-2000:]
        # and it ended as a dbt process ends: its exit handlers ran, and its semaphores (the adapter's,
        # the lock of the parse decoded ahead) went to its own tracker (else multiprocessing's tracker
        # warns of them, in dbt's output, which dagster-dbt reads, or in the run's)
        assert "leaked" not in out + err

        # the dbt of a `cchc-dbt` is a fork of the server, in the caller's folder
        wrapper = _long_parse(run, tmp_path)
        assert _until(lambda: _children(waiting))
        (dbt,) = _children(waiting)
        assert Path(f"/proc/{dbt}/cwd").readlink() == DBT_PROJECT_DIR
        # its semaphores go to a resource tracker of its own, as a dbt process's do, not to the one
        # decoding the parse ahead started in the server
        assert _until(lambda: any("resource_tracker" in command for _, command in _own(dbt)))
        os.kill(wrapper, signal.SIGKILL)  # as a run killed alone, or an orphaned cchc-dbt, ends
        assert _until(lambda: not alive(dbt))

        # SIGINT, as dagster-dbt stops a cancelled build, is passed on: dbt ends with its own exit status
        # (cchc-dbt dying of the signal itself would be a negative one). As soon as the fork is there, dbt
        # may not have reached its command yet: click's "Aborted!" is how dbt says it then; or it is in
        # its command before its logger is set up, where dbt's handler ends it with 2 and nothing to say
        # it with (seen under load, in a CI-like run)
        wrapper = _long_parse(run, tmp_path)
        assert _until(lambda: _children(waiting))
        (dbt,) = _children(waiting)
        os.kill(wrapper, signal.SIGINT)
        code, out, err = run.ask(wait=wrapper)
        said = "Aborted!" in err or "KeyboardInterrupt" in out + err
        assert (code > 0 and said) or (code == 2 and not out + err), (code, out, err)
        assert _until(lambda: not alive(dbt))
        # within its command (its semaphores made), dbt's own handler reports the interrupt, with the
        # status dbt gives an error it caught (cchc-dbt's own KeyboardInterrupt would end it with 1)
        wrapper = _long_parse(run, tmp_path)
        assert _until(lambda: _children(waiting))
        (dbt,) = _children(waiting)
        assert _until(lambda: any("resource_tracker" in command for _, command in _own(dbt)))
        os.kill(wrapper, signal.SIGINT)
        code, out, err = run.ask(wait=wrapper)
        assert code == 2 and "KeyboardInterrupt" in out + err, (code, out[-2000:], err[-2000:])
        assert _until(lambda: not alive(dbt))
    finally:
        run.kill()
    # the server goes on, for the next run
    time.sleep(1)
    assert alive(waiting)
    run.stop_server()


def test_a_signal_before_the_fork_is_known_reaches_it_and_with_no_fork_ends_cchc_dbt():
    """`cchc-dbt` holds a SIGINT that comes before the fork has said its pid and passes it on once it
    has; when no fork runs dbt, it takes the signal itself (cchc-dbt's SIGINT is Python's default)."""
    before = {sent: signal.getsignal(sent) for sent in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    dbt = subprocess.Popen(["sleep", "60"])
    try:
        passed_on = warm_dbt.PassedOn()
        signal.raise_signal(signal.SIGINT)  # the fork not known yet: held
        assert passed_on.held == [signal.SIGINT] and dbt.poll() is None
        passed_on.to(dbt.pid)
        assert dbt.wait(timeout=10) == -signal.SIGINT
        signal.signal(signal.SIGINT, signal.default_int_handler)  # another cchc-dbt
        passed_on = warm_dbt.PassedOn()
        signal.raise_signal(signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):  # no fork: not dbt run here after a cancel
            passed_on.nothing_ran()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        dbt.kill()
        for sent, handler in before.items():
            signal.signal(sent, handler)


def test_a_cchc_dbt_started_by_any_process_of_the_user_runs_in_a_fork_of_the_server(tmp_path):
    run = Run()
    try:
        server = _server(run)
        shell = _long_parse(run, tmp_path, shell=True)  # cchc-dbt is the shell's child, not the run's
        # a server just started: it imports dbt before it forks (cchc-dbt waits for it up to a minute)
        assert _until(lambda: _children(server), 60)
        # it has handed its command over: it stays `cchc-dbt`, dbt runs in the fork
        assert not any("/dbt parse" in command for _, command in _own(shell))
        for pid, _ in _own(shell):
            os.kill(pid, signal.SIGKILL)
        assert _until(lambda: not _children(server))
    finally:
        run.kill()
        run.stop_server()


def test_a_server_nobody_calls_exits_and_a_second_one_leaves_the_address_to_the_first():
    address = f"cchc-dbt-test-{uuid.uuid4().hex}"
    serve = [sys.executable, "-P", "-m", "pipelines.warehouse.warm_dbt", address]
    first = subprocess.Popen([*serve, "2"])
    try:
        sockets = Path("/proc/net/unix")
        assert _until(lambda: f" @{address}\n" in sockets.read_text())
        assert subprocess.run([*serve, "60"], timeout=60).returncode == 0  # at once: the address is taken
        assert first.wait(timeout=60) == 0  # imported dbt, then nobody called for 2 s
    finally:
        first.kill()


def _own(parent: int) -> list[tuple[int, str]]:
    return [(pid, command) for pid, (ppid, command) in _processes().items() if ppid == parent]


def test_a_broken_request_leaves_the_server_serving(tmp_path):
    run = Run()
    try:
        waiting = _server(run)
        address = run.address
        assert run.ask(wait=run.start(CCHC_DBT, "--version"))[0] == 0  # it listens
        for request in (b"", b"\0\0\0\x10{", b"not a request at all"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.connect("\0" + address)
                connection.sendall(request)
        wrapper = _long_parse(run, tmp_path)
        assert _until(lambda: _children(waiting))
        os.kill(wrapper, signal.SIGKILL)
        assert alive(waiting)
    finally:
        run.kill()
        run.stop_server()


def test_a_fork_takes_the_parse_decoded_ahead_for_the_same_bytes_and_decodes_any_other(monkeypatch, tmp_path):
    from dbt.contracts.graph.manifest import Manifest
    from dbt.parser.manifest import extended_mashumuro_decoder

    monkeypatch.setattr(Manifest, "from_msgpack", Manifest.__dict__["from_msgpack"])  # put back after
    monkeypatch.setattr(warm_dbt, "_decoded", None)
    warm_dbt._decode_ahead(tmp_path / "none.msgpack")
    assert warm_dbt._decoded is None  # nothing to decode: dbt meets the missing file itself

    warm_dbt._decode_ahead(PREPARED_PARSE)
    warm_dbt._use_decoded_ahead()  # as in a fork
    ahead = warm_dbt._decoded[1]
    # the bytes dbt reads from its target folder, a copy of the same file
    copy = tmp_path / "partial_parse.msgpack"
    shutil.copy(PREPARED_PARSE, copy)
    assert Manifest.from_msgpack(copy.read_bytes(), decoder=extended_mashumuro_decoder) is ahead
    other = Manifest.from_msgpack(Manifest().to_msgpack(), decoder=extended_mashumuro_decoder)
    assert other is not ahead and len(other.nodes) == 0 < len(ahead.nodes)


def _parsed_nodes(target: Path) -> dict[str, str]:
    nodes = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    return {key: node["checksum"]["checksum"] for key, node in nodes.items()}


def test_dbt_parses_the_same_from_the_parse_decoded_ahead(tmp_path):
    parsed = {}
    for ahead in (PREPARED_PARSE, None):
        run = Run(ahead)
        try:
            target = tmp_path / ("ahead" if ahead else "read")
            target.mkdir()
            shutil.copy(PREPARED_PARSE, target)
            _listening(run)
            started = run.start(CCHC_DBT, "parse", DBT_TARGET_PATH=str(target), DBT_LOG_LEVEL="debug")
            code, out, err = run.ask(wait=started)
            assert code == 0, out[-2000:] + err[-2000:]
            assert "Unable to do partial parsing" not in out
            # dbt's debug log says which it took
            assert (warm_dbt.DECODED_AHEAD in out) == (ahead is not None)
            parsed[target.name] = _parsed_nodes(target)
        finally:
            run.kill()
            run.stop_server()
    assert parsed["ahead"] == parsed["read"] and len(parsed["read"]) > 100


def _printed_events(out: str) -> list[str]:
    """The names of the events dbt printed as JSON lines, in a stable order (not their times)."""
    return sorted(json.loads(line)["info"]["name"] for line in out.splitlines() if line.startswith("{"))


def test_a_fork_prints_every_event_dbt_prints_at_its_level(tmp_path):
    """A fork drops the events no logger writes before building them: at dbt's level (info) it prints
    what dbt running alone prints; at debug, the debug events too."""
    dbt = str(Path(sys.executable).parent / "dbt")
    run = Run()
    try:
        _listening(run)
        printed = {}
        for where, level in (("fork", "info"), ("alone", "info"), ("fork", "debug")):
            target = tmp_path / f"{where}-{level}"
            target.mkdir()
            shutil.copyfile(PARSE_MADE_HERE, target / PARTIAL_PARSE)
            # a seed loaded into a warehouse of its own: SQL statements, connections, the seed's result
            options = ["--log-format", "json", "--log-level", level, "seed", "--select", "areas"]
            env = {"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target)}
            env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
            if where == "fork":
                command = [CCHC_DBT, *options, "--warehouse", str(target / "cchc.duckdb")]
                code, out, err = run.ask(wait=run.start(*command, **env))
            else:  # dbt itself, in the warehouse's folder, as `cchc-dbt` runs it without a server
                env |= {"DBT_PROJECT_DIR": str(DBT_PROJECT_DIR), "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}
                env |= {WAREHOUSE_FILE_ENV: "cchc.duckdb", FILE_LOG_LEVEL[0]: FILE_LOG_LEVEL[1]}
                done = subprocess.run(
                    [dbt, *options], cwd=target, env={**os.environ, **env}, capture_output=True, text=True
                )
                code, out, err = done.returncode, done.stdout, done.stderr
            assert code == 0, out[-2000:] + err[-2000:]
            printed[where, level] = _printed_events(out)
        assert printed["fork", "info"] == printed["alone", "info"]
        assert "LogSeedResult" in printed["fork", "info"] and "SQLQuery" not in printed["fork", "info"]
        assert "SQLQuery" in printed["fork", "debug"]
    finally:
        run.kill()
        run.stop_server()


def test_a_fork_builds_no_event_its_loggers_drop_and_every_one_they_write(monkeypatch):
    """What the fork saves: an event below the loggers' level is never turned into a message; one at
    their level is, and written, as are warnings and what dbt prints as an error."""
    import io

    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.event_manager import EventManager
    from dbt_common.events.logger import LineFormat, LoggerConfig
    from dbt_common.events.types import Note, PrintEvent

    monkeypatch.setattr(EventManager, "fire_event", EventManager.fire_event)  # put back after
    built = []
    for event in (Note, PrintEvent):
        message = event.message
        monkeypatch.setattr(event, "message", lambda self, message=message: built.append(1) or message(self))
    warm_dbt._events_only_where_they_are_written()  # as in a fork

    def manager(level: EventLevel) -> tuple[EventManager, io.StringIO]:
        lines, events = io.StringIO(), EventManager()
        events.add_logger(
            LoggerConfig(name="out", line_format=LineFormat.Json, level=level, output_stream=lines)
        )
        return events, lines

    def written(lines: io.StringIO) -> list[str]:
        return [json.loads(line)["info"]["msg"] for line in lines.getvalue().splitlines()]

    events, lines = manager(EventLevel.INFO)  # dbt's stdout as dagster-dbt reads it
    events.fire_event(Note(msg="each SQL statement"), level=EventLevel.DEBUG)
    assert built == [] and written(lines) == []
    events.fire_event(Note(msg="a model built"), level=EventLevel.INFO)
    events.fire_event(Note(msg="a deprecation"), level=EventLevel.WARN)
    assert written(lines) == ["a model built", "a deprecation"] and len(built) == 2
    quiet, lines = manager(EventLevel.ERROR)  # `--quiet`: errors, and what dbt prints as one
    quiet.fire_event(Note(msg="a model built"), level=EventLevel.INFO)
    quiet.fire_event(PrintEvent(msg="a listing"))
    assert written(lines) == ["a listing"] and len(built) == 3


def test_a_fork_makes_each_type_tester_once_and_reads_results_as_dbt_does(monkeypatch):
    """What the fork saves: dbt's type tester for a result is made once per set of text-only columns,
    in any order; a result read with a kept one has the values and types a tester made anew gives."""
    from dbt_common.clients import agate_helper

    rows = [
        {"n": 1, "share": 0.5, "day": "2024-06-30", "code": "007", "note": ""},
        {"n": 2, "share": None, "day": "2024-12-31", "code": "null", "note": "trễ hạn"},
    ]

    def read(order: list[str]):
        table = agate_helper.table_from_data_flat(rows, order)
        return [type(kind).__name__ for kind in table.column_types], [list(row) for row in table.rows]

    columns = ["n", "share", "day", "code", "note"]
    anew = read(columns)
    # strings stay strings, as dbt reads them: no '007' → 7, no '' or 'null' → None
    assert anew == (
        ["Integer", "Number", "Text", "Text", "Text"],
        [[1, 0.5, "2024-06-30", "007", ""], [2, None, "2024-12-31", "null", "trễ hạn"]],
    )
    made = []
    build = agate_helper.build_type_tester
    # counted; dbt's own put back after the test, whatever the fork's patch put there
    monkeypatch.setattr(agate_helper, "build_type_tester", lambda *a, **k: made.append(a) or build(*a, **k))
    warm_dbt._type_testers_kept()  # as in a fork
    assert read(columns) == anew and read(columns) == anew
    reordered = read(["note", "code", "day", "share", "n"])  # the text-only columns, in another order
    assert reordered[1][0] == ["", "007", "2024-06-30", 0.5, 1]
    assert len(made) == 1
    agate_helper.table_from_data_flat([{"n": "x"}], ["n"])  # other text-only columns: a tester of its own
    assert len(made) == 2


# a fork as the server makes it (the contracts' schemas built, the saved parse decoded ahead), then the
# dbt invocation it runs; prints the schemas that invocation built again
AS_A_FORK = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    from dbt_common import dataclass_schema
    from pipelines.warehouse import warm_dbt

    for module in warm_dbt._IMPORTS:
        __import__(module)
    warm_dbt._schemas_ahead()
    warm_dbt._decode_ahead(Path(sys.argv[1]))
    warm_dbt._use_decoded_ahead()
    schemas = []
    build = dataclass_schema.build_json_schema
    dataclass_schema.build_json_schema = lambda cls, *a, **k: schemas.append(cls.__name__) or build(
        cls, *a, **k
    )
    code = warm_dbt._dbt_main(sys.argv[2:])
    print(json.dumps([code, schemas]))
    """
)


def test_a_fork_builds_none_of_the_schemas_the_server_built(tmp_path):
    """What the server prepares once for every fork: the JSON schemas dbt validates the project, its
    flags, packages and selectors and the profile against. A dbt invocation in a fork (a seed loaded,
    as `cchc-dbt` runs it) builds none of them again."""
    shutil.copyfile(PARSE_MADE_HERE, tmp_path / PARTIAL_PARSE)
    env = {
        **os.environ,
        "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
        "DBT_TARGET_PATH": str(tmp_path),
        "DBT_LOG_PATH": str(tmp_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        WAREHOUSE_FILE_ENV: "cchc.duckdb",
        FILE_LOG_LEVEL[0]: FILE_LOG_LEVEL[1],
    }
    arguments = [str(tmp_path / PARTIAL_PARSE), "--log-format", "json", "seed", "--select", "areas"]
    done = subprocess.run(
        [sys.executable, "-c", AS_A_FORK, *arguments], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    code, schemas = json.loads(done.stdout.strip().splitlines()[-1])
    assert code == 0 and "LogSeedResult" in done.stdout
    assert schemas == []
