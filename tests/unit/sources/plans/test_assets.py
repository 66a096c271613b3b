"""A plan file is its own run (a real DuckDB file, materialized by Dagster): a fault of the plan reader
on one file refuses that file as the software's fault, kept for a re-read when the reader changes,
instead of failing its run at every run."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.definitions import build_resources
from pipelines.landing.faults import READER_FAULT
from pipelines.settings import Settings
from pipelines.sources.plans import assets
from pipelines.sources.plans.assets import SOURCE, plan_tables
from tests.integration.conftest import plan_text
from tests.unit.landing.test_faults import failing_on


def _materialize(settings: Settings, key: str) -> dg.ExecuteInProcessResult:
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(assets.plan_files.name, [key])
        return dg.materialize(
            [plan_tables], partition_key=key, instance=instance, resources=build_resources(settings)
        )


def test_a_fault_of_the_plan_reader_refuses_the_file_and_the_run_succeeds(tmp_path, monkeypatch):
    # simulated (no real plan is known to cause one now)
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    inbox = SOURCE.folder(settings)
    inbox.mkdir(parents=True)
    (inbox / "kh-951-ubnd-dong-nai-2025.md").write_text(plan_text(951), encoding="utf-8")
    (inbox / "kh-952-ubnd-dong-nai-2025.md").write_text(plan_text(952), encoding="utf-8")
    fault = ZeroDivisionError("division by zero")
    failing = failing_on(
        assets.parse_document, lambda document: document.source == "kh-952-ubnd-dong-nai-2025.md", fault
    )
    monkeypatch.setattr(assets, "parse_document", failing)
    for key in ("kh-951-ubnd-dong-nai-2025.md", "kh-952-ubnd-dong-nai-2025.md"):
        assert _materialize(settings, key).success
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        documents = conn.execute(
            "select source_file, status, rejection_reason from raw_plans.plan_documents order by 1"
        ).fetchall()
        (tasks,) = conn.execute("select count(*) from raw_plans.plan_tasks").fetchone()
    assert documents == [
        ("kh-951-ubnd-dong-nai-2025.md", "parsed", None),
        ("kh-952-ubnd-dong-nai-2025.md", "rejected", READER_FAULT),
    ]
    assert tasks == 2  # the good plan's two appendix tasks
