"""`cchc bench` on a small generated workload: the figures are complete, one new file is published by
an incremental build (only what is downstream of the reports), and that warehouse holds the same
tables as the full build `cchc run --full` then makes of the same raw tables (the incremental models
rebuilt whole, the views made again). That a warehouse fed file by file equals one built from nothing
is test_arrival_order's and test_review_loop's.

Times are not asserted (a benchmark measures them; a test would only be flaky): figures are."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_dbt import get_asset_key_for_model

from pipelines.bench.run import workload_environment
from pipelines.bench.workload import Workload
from pipelines.settings import DBT_PROJECT_DIR
from pipelines.warehouse.dbt_assets import cchc_dbt_models
from pipelines.warehouse.kept_views import KEPT

CCHC = Path(sys.executable).with_name("cchc")
FIGURES = (
    "files",
    "indicator_rows",
    "ingest_s",
    "ingest_files_per_s",
    "baseline_files_per_s",
    "limit_files_per_s",
    "end_to_end_s",
    "peak_rss_mb",
)
# columns that say when a row was written, not what it holds
WRITTEN_AT = {"ingested_at", "built_at", "published_at", "generated_at"}


def _cchc(*args: str) -> dict:
    done = subprocess.run([str(CCHC), *args], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def workload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "workload"
    done = subprocess.run(
        [str(CCHC), "bench", "generate", "-o", str(root), "--agencies", "24", "--years", "1", "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return root


@pytest.fixture(scope="module")
def full_run(workload: Path) -> dict:
    return _cchc("bench", "run", str(workload), "--json", "--baseline-files", "10")


def test_bench_run_prints_every_figure_of_the_whole_pipeline(workload: Path, full_run: dict):
    described = json.loads((workload / "workload.json").read_text())
    assert full_run["runs_succeeded"] is True
    for figure in FIGURES:
        assert isinstance(full_run[figure], int | float) and full_run[figure] > 0, figure
    assert full_run["files"] == full_run["files_loaded"] == described["report_files"]
    # every accepted report carries one row per indicator of the plan: 61, the real catalogue's 48 but the
    # two ranks, and the 15 synthetic ones
    with duckdb.connect(str(workload / "warehouse" / "cchc_published.duckdb"), read_only=True) as conn:
        (accepted,) = conn.execute(
            "select count(*) from raw_reports.report_submissions where status = 'accepted'"
        ).fetchone()
        (agencies,) = conn.execute(
            "select count(*) from main.dim_agency where agency_key like '%.bench_%'"
        ).fetchone()
    assert full_run["indicator_rows"] == 61 * accepted
    assert agencies == described["agencies"]
    assert full_run["baseline_files"] == 10 and full_run["baseline_rows"] > 0
    assert set(full_run["build_stages_s"]) >= {"dbt_build", "gx_checks", "publish", "extracts"}
    assert full_run["build_stages_s"]["dbt_build"] > 0


def _tables(conn: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    rows = conn.execute(
        "select schema_name || '.' || table_name, list(column_name order by column_index) "
        "from duckdb_columns() where database_name = ? "
        # `pipeline` records the publications themselves: one per build, so two runs leave two
        "and schema_name not in ('information_schema', 'pg_catalog', 'pipeline') group by all",
        [catalog],
    ).fetchall()
    return {name: [column for column in columns if column not in WRITTEN_AT] for name, columns in rows}


def _last_dbt_folder(workload: Path) -> Path:
    """The folder of the last build's dbt artifacts."""
    folders = (workload / "warehouse" / "logs" / "dbt").iterdir()
    return max(folders, key=lambda folder: folder.stat().st_mtime)


def test_an_incremental_build_gives_the_tables_of_a_full_build(
    workload: Path, full_run: dict, tmp_path: Path
):
    incremental = _cchc("bench", "incremental", str(workload), "--json")
    assert incremental["runs_succeeded"] is True
    assert incremental["files_pending"] == 1 and incremental["files"] == full_run["files"] + 1
    assert incremental["indicator_rows"] == full_run["indicator_rows"] + 61
    assert incremental["incremental_s"] > 0 and incremental["build_s"] > 0
    # the incremental run ingested the one report: no plan or index run; dbt added to the incremental
    # models what changed (no --full-refresh), and the suites validated the new file's rows
    assert incremental["ingest_runs"] == 1
    last_build = json.loads((_last_dbt_folder(workload) / "run_results.json").read_text(encoding="utf-8"))
    assert not last_build["args"].get("full_refresh")
    # the views stayed as the full build made them (a view's rows are its tables'), their tests ran;
    # Dagster counts them as new with the build, so what reads them was written again (chase list)
    nodes = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    views = {key for key, node in nodes.items() if node["config"].get("materialized") == "view"}
    ran = {result["unique_id"] for result in last_build["results"]}
    assert not ran & views
    assert any(set(nodes[node]["depends_on"]["nodes"]) & views for node in ran if node.startswith("test."))
    with dg.DagsterInstance.from_config(str(workload / "dagster")) as instance:
        view = instance.get_latest_materialization_event(
            get_asset_key_for_model([cchc_dbt_models], "bi_report_compliance")
        )
        chased = instance.get_latest_materialization_event(dg.AssetKey("chase_list"))
    assert view.asset_materialization.metadata["status"].value == KEPT
    assert chased.run_id == view.run_id
    assert incremental["validated_rows"]["stg_reports__indicator_values"] == 61
    fed_twice = tmp_path / "fed_twice.duckdb"
    shutil.copyfile(workload / "warehouse" / "cchc_published.duckdb", fed_twice)

    # then rebuilt whole from the same raw tables: `cchc run --full`, pointed at the workload as `cchc
    # bench` points itself
    rebuilt = subprocess.run(
        [str(CCHC), "run", "--full", "--no-summary"],
        env={**os.environ, **workload_environment(Workload(workload))},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:] + rebuilt.stderr[-3000:]
    last_build = json.loads((_last_dbt_folder(workload) / "run_results.json").read_text(encoding="utf-8"))
    assert last_build["args"].get("full_refresh") is True
    with duckdb.connect() as conn:
        conn.execute(f"attach '{fed_twice}' as twice (read_only)")
        conn.execute(f"attach '{workload / 'warehouse' / 'cchc_published.duckdb'}' as whole (read_only)")
        twice, whole = _tables(conn, "twice"), _tables(conn, "whole")
        assert twice == whole
        assert "main.fact_report_submission" in whole and "raw_reports.report_indicator_values" in whole
        differing = {}
        for table, columns in whole.items():
            selected = ", ".join(f'"{column}"' for column in columns)
            (extra,) = conn.execute(
                f"select count(*) from (select {selected} from twice.{table} "
                f"except all select {selected} from whole.{table})"
            ).fetchone()
            (missing,) = conn.execute(
                f"select count(*) from (select {selected} from whole.{table} "
                f"except all select {selected} from twice.{table})"
            ).fetchone()
            if extra or missing:
                differing[table] = (extra, missing)
    assert differing == {}
