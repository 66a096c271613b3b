"""Runs started at once against the project's Dagster instance queue on the writer pool.

The test holds the pool's one slot itself, so both runs are sure to find it taken: what is proven is
the queueing, not how fast the machine happens to be.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from pipelines.settings import PROJECT_ROOT, RAW_ENV, WAREHOUSE_ENV, WAREHOUSE_POOL

BLOCKED = f"blocked by limit for pool {WAREHOUSE_POOL}"


def test_parallel_runs_queue_instead_of_failing_on_the_duckdb_lock(tmp_path, warehouse_settings):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    shutil.copy(warehouse_settings.warehouse_path, tmp_path / "cchc.duckdb")
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        WAREHOUSE_ENV: str(tmp_path / "cchc.duckdb"),
        RAW_ENV: str(warehouse_settings.raw_dir),
    }
    # two small writers of the warehouse: each checkpoints it and publishes the copy
    command = [str(bin_dir / "dagster"), "asset", "materialize", "-m", "pipelines.definitions"]
    command += ["--select", "published_warehouse"]
    log_paths = [tmp_path / f"run{i}.log" for i in range(2)]
    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)
        assert storage.claim_concurrency_slot(WAREHOUSE_POOL, "test-holder", "hold").is_claimed
        runs = []
        for log_path in log_paths:
            # logs go to files: a full pipe would stall a run
            with log_path.open("wb") as log:
                runs.append(
                    subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
                )
        try:
            deadline = time.monotonic() + 300
            while not all(BLOCKED in path.read_text(errors="replace") for path in log_paths):
                assert all(run.poll() is None for run in runs), "a run ended while the slot was held"
                assert time.monotonic() < deadline, "the runs never reached the pool"
                time.sleep(0.5)
        finally:
            storage.free_concurrency_slots_for_run("test-holder")
        codes = [run.wait(timeout=300) for run in runs]
    logs = [path.read_text(encoding="utf-8", errors="replace") for path in log_paths]
    assert codes == [0, 0], [log[-2000:] for log in logs]
    assert not any("Could not set lock" in log for log in logs)
    assert (tmp_path / "cchc_published.duckdb").exists()
