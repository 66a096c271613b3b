"""`.venv/bin/dagster dev -w workspace.yaml`, run as a newcomer would (no `make`, no activated virtualenv),
loads the code location: the UI's GraphQL endpoint lists every asset and check of the Definitions."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.definitions import defs
from pipelines.settings import PROJECT_ROOT, RAW_ENV, WAREHOUSE_ENV

QUERY = """
{
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
  assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } }
}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _graphql(port: int) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": QUERY}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


@pytest.fixture()
def dagster_dev(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    venv_bin = Path(sys.executable).parent
    # the virtualenv is not on PATH, as when a newcomer types .venv/bin/dagster
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if Path(p) != venv_bin)
    # an empty raw/: the sensors tick and find nothing (given the checkout's raw/, they launched runs
    # ingesting it into the test's warehouse as the test ended)
    (tmp_path / "raw").mkdir()
    env = {
        **os.environ,
        "PATH": path,
        "DAGSTER_HOME": str(home),
        WAREHOUSE_ENV: str(tmp_path / "w.duckdb"),
        RAW_ENV: str(tmp_path / "raw"),
    }
    port = _free_port()
    log = (tmp_path / "dagster-dev.log").open("wb")
    # started as from a terminal, Ctrl-C (SIGINT) handled: a test run started with SIGINT ignored (`nohup`,
    # `&` in a script) passes that on, and `dagster dev` then ignores SIGTERM as well (Dagster gives
    # SIGTERM the handler SIGINT has): it would not stop but killed, 60 s on
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [str(venv_bin / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        signal.signal(signal.SIGINT, before)
    try:
        yield port, process, tmp_path / "dagster-dev.log"
    finally:
        with contextlib.suppress(ProcessLookupError):  # a UI that died says so in the test
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=90)  # dagster dev gives each of its processes up to 60 s
            stopped = True
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            stopped = False
        log.close()
        assert stopped, "dagster dev did not stop within 90 s of SIGTERM"


def test_dagster_dev_loads_the_code_location_without_make(dagster_dev):
    port, process, log = dagster_dev
    deadline = time.monotonic() + 300
    data = None
    while data is None:
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
        try:
            answer = _graphql(port)
        except OSError:
            time.sleep(1)
            continue
        entries = answer["workspaceOrError"]["locationEntries"]
        if entries and entries[0]["locationOrLoadError"] is not None:
            data = answer
        else:
            time.sleep(1)
    (entry,) = data["workspaceOrError"]["locationEntries"]
    assert entry["name"] == "cchc_warehouse"
    assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation", entry["locationOrLoadError"]
    graph = defs.resolve_asset_graph()
    assert len(data["assetNodes"]) == len(list(graph.asset_nodes))
    checks = [check for node in data["assetNodes"] for check in node["assetChecksOrError"].get("checks", [])]
    assert len(checks) == len(graph.asset_check_keys)
    assert sum(check["name"].startswith("gx_") for check in checks) == 11
