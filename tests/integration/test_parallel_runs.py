"""Two runs started at once against the project's Dagster instance queue on the writer pool."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg

from pipelines.settings import PROJECT_ROOT, WAREHOUSE_ENV


def test_parallel_runs_queue_instead_of_failing_on_the_duckdb_lock(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    # Create the instance's storage once, as the first `make run` does; two processes creating a
    # fresh sqlite storage at the same moment race each other.
    dg.DagsterInstance.from_config(str(home)).dispose()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        WAREHOUSE_ENV: str(tmp_path / "cchc.duckdb"),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
    }
    command = [
        str(bin_dir / "dagster"),
        "job",
        "execute",
        "-m",
        "pipelines.definitions",
        "-j",
        "build_warehouse",
    ]
    # Logs go to files: a full pipe would stall a run that holds the pool slot the other awaits.
    log_paths = [tmp_path / f"run{i}.log" for i in range(2)]
    runs = []
    for log_path in log_paths:
        with log_path.open("wb") as log:
            run = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            runs.append(run)
    codes = [run.wait(timeout=600) for run in runs]
    logs = [path.read_text(encoding="utf-8", errors="replace") for path in log_paths]

    assert codes == [0, 0], [log[-2000:] for log in logs]
    assert not any("Could not set lock" in log for log in logs)
    assert any("blocked by limit for pool duckdb_warehouse" in log for log in logs)
