"""The quality worker: a suite's rows read in the calling process and validated in a fork of the quality
server, which alone imports Great Expectations, even when GX fails there; a worker killed mid-call
fails that call with a reason, and the next call gets a new worker; a worker ends with the process it
serves, killed with SIGKILL; a second process gets a worker of its own from the same server, which
imported GX once. Run in processes of their own, where nothing else has imported GX."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.unit.quality.test_validate import AT_MOST_100, _suite

PROBE = textwrap.dedent(
    """
    import json, os, signal, sys, threading, time
    from pathlib import Path

    import duckdb

    from pipelines.quality import worker
    from pipelines.quality.suites import read_suite

    here, suite, broken = Path(sys.argv[1]), read_suite(Path(sys.argv[2])), Path(sys.argv[3])
    conn = duckdb.connect(str(here / "w.duckdb"))
    conn.execute("create schema if not exists raw_things")
    conn.execute("create or replace table raw_things.thing_rows as select * from (values "
                 "('a.xlsx', 1), ('a.xlsx', 700), ('b.xlsx', 5)) as rows(source_file, value)")

    said = {}

    def validate_once():
        try:
            worker.run_suite(here, conn.cursor(), suite, previous=None)
        except worker.QualityWorkerDied as error:
            said["died"] = str(error)

    worker.prepare()  # as a run starts: the server is started, and imports GX
    first = worker.run_suite(here, conn, suite, previous=None)
    pid = worker.worker_pid()
    os.kill(pid, signal.SIGSTOP)  # held, so that the next call is still waiting on it ...
    waiting = threading.Thread(target=validate_once)
    waiting.start()
    time.sleep(0.5)
    os.kill(pid, signal.SIGKILL)  # ... when it is killed
    waiting.join()
    result = worker.run_suite(here, conn, suite, previous=None)  # a new worker
    again = worker.worker_pid()
    try:
        worker.run_suite(broken, conn, suite, previous=None)  # GX cannot read its configuration
        refused = None
    except RuntimeError as error:
        refused = [type(error).__name__, "InvalidConfigurationYamlError" in str(error)]
    print(json.dumps({
        "worker": again,
        "server": int(Path(f"/proc/{again}/stat").read_text().rsplit(")", 1)[1].split()[1]),
        "refused": refused,
        "died": said.get("died"),
        "new_worker": again != pid,
        "failures": [(f.expectation, f.column, f.observed, f.sample) for f in result.failures],
        "rows": [result.row_count, result.validated_rows],
        "same_verdict": first.failures == result.failures,
        "docs": str(worker.build_data_docs(here).relative_to(here)),
        "gx_here": "great_expectations" in sys.modules,
    }), flush=True)
    sys.stdin.read()  # until killed
    """
)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _probe(tmp_path: Path, suite, broken: Path) -> dict:
    """What a process running PROBE saw; the process is killed after (its worker goes with it)."""
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(tmp_path), str(suite.path), str(broken)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = probe.stdout.readline()
        assert line, probe.stderr.read()[-3000:]
        return json.loads(line)
    finally:
        os.kill(probe.pid, signal.SIGKILL)
        probe.wait()


def test_a_suite_is_validated_in_the_worker_alone_and_a_killed_worker_fails_only_its_call(tmp_path):
    suite = _suite(tmp_path, expectations=(AT_MOST_100,))
    # a warehouse folder whose GX configuration is not YAML: GX raises its own exception class, which
    # would import GX in the process that unpickled it
    broken = tmp_path / "broken"
    (broken / "gx").mkdir(parents=True)
    (broken / "gx" / "great_expectations.yml").write_text("config_version: [not, a, list\n")
    said = _probe(tmp_path, suite, broken)
    assert said["died"] == "the quality worker process died while validating thing_rows"
    assert said["new_worker"] is True
    assert said["same_verdict"] is True
    assert said["failures"] == [
        [
            "expect_column_values_to_be_between",
            "value",
            "1 of 3 rows, e.g. [700]",
            [{"source_file": "a.xlsx", "value": 700}],
        ]
    ]
    assert said["rows"] == [3, 3]
    assert said["docs"] == "data_docs/index.html"
    assert said["refused"] == ["RuntimeError", True]  # GX's own error, as text
    assert said["gx_here"] is False  # this process read the rows; GX ran in the worker
    deadline = time.monotonic() + 10
    while alive(said["worker"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(said["worker"])  # ended with the process it served
    assert list(tmp_path.glob(".*.tmp")) == []  # no batch left beside the warehouse
    # another process: a worker of its own, forked by the same server, which goes on waiting
    again = _probe(tmp_path, suite, broken)
    assert again["server"] == said["server"] and alive(said["server"])
    assert again["worker"] != said["worker"] and again["failures"] == said["failures"]
