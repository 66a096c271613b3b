"""What Dagster's instance costs per stored event, on SQLite (`.dagster/`: `make dev`, `cchc run`) and on
PostgreSQL (the server deployment, `deploy/dagster.yaml`). A build of the whole warehouse stores 864
events (a materialization per asset, an evaluation per check, each planned first, an output and a few
more per step), one new report 293, so this cost times that count is about what the instance adds to a
build.

Each store is an asset materialization reported to the instance, as dagster-dbt reports a model: the
event, its asset's index rows, one commit.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from unittest import mock

import dagster as dg

from pipelines.bench.run import local_home
from pipelines.orchestration.postgres import prepare_home, temporary_cluster


def _ms_per_event(home: Path, events: int) -> float:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization("bench_warm_up"))  # tables made
        start = time.perf_counter()
        for number in range(events):
            instance.report_runless_asset_event(dg.AssetMaterialization(f"bench_{number % 50}"))
        return (time.perf_counter() - start) * 1000 / events


def per_event_costs(events: int = 500) -> dict[str, float | int]:
    """Milliseconds to store one event on each storage, each in a new Dagster home (and, for PostgreSQL,
    a new cluster on a socket of its own, stopped and removed after)."""
    with tempfile.TemporaryDirectory(prefix="cchc-bench-events-") as scratch:
        sqlite = _ms_per_event(local_home(Path(scratch) / "sqlite"), events)
    with temporary_cluster() as cluster, tempfile.TemporaryDirectory(prefix="cchc-bench-events-") as scratch:
        environment = prepare_home(Path(scratch) / "postgres", cluster)
        with mock.patch.dict(os.environ, environment):  # what deploy/dagster.yaml reads
            postgres = _ms_per_event(Path(environment["DAGSTER_HOME"]), events)
    return {
        "events": events,
        "sqlite_ms_per_event": round(sqlite, 2),
        "postgres_ms_per_event": round(postgres, 2),
    }
