"""The state of the platform is the warehouse folder plus raw/: copied elsewhere, they carry on."""

import dagster as dg
import duckdb

from pipelines.definitions import build_definitions
from pipelines.landing.files import content_hash
from pipelines.orchestration.runs import pending_work
from tests.archived import archived_bytes
from tests.integration.conftest import fork_warehouse

LEDGERS = {
    "raw_plans.plan_documents": "plans",
    "raw_reports.report_submissions": "reports",
    "raw_indices.index_files": "indices",
}


def test_a_copied_warehouse_and_raw_folder_find_nothing_pending_in_a_fresh_instance(
    warehouse_settings, tmp_path
):
    copy = fork_warehouse(warehouse_settings, tmp_path / "elsewhere")
    assert not pending_work(copy)
    defs = build_definitions(copy)
    with dg.instance_for_test() as instance:  # knows no run, no partition, no materialization
        for name in ("plan_files_sensor", "report_files_sensor", "index_files_sensor"):
            context = dg.build_sensor_context(instance=instance, resources={"settings": copy})
            assert defs.resolve_sensor_def(name)(context).run_requests == [], name
    with duckdb.connect(str(copy.warehouse_path), read_only=True) as conn:
        for table in LEDGERS:
            query = f"select archived_path, content_hash from {table}"
            for archived, digest in conn.execute(query).fetchall():
                # the archive moved with it: the bytes the ledger names, a copy or a pack's member
                assert content_hash(archived_bytes(copy.warehouse_dir, archived)) == digest, archived


def test_a_new_file_in_the_copy_is_pending_there_and_only_there(warehouse_settings, tmp_path):
    copy = fork_warehouse(warehouse_settings, tmp_path / "elsewhere")
    (copy.plans_dir / "kh-moi.md").write_text("Kế hoạch cải cách hành chính năm 2025\n", encoding="utf-8")
    assert list(pending_work(copy)["plans"]) == ["kh-moi.md"]
    assert not pending_work(warehouse_settings)
