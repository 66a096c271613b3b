"""Plans in raw/plans reach the warehouse; broken ones are recorded with their reason; re-runs are safe."""

from pathlib import Path

import duckdb

from pipelines.landing.files import file_hash
from pipelines.orchestration.runs import pending_work
from tests.integration.conftest import BROKEN_PLANS, build_warehouse, downstream_of


def test_plan_tables_are_queryable_in_the_published_copy(published):
    documents = dict(
        published.execute(
            "select source_file, document_number from main.plan_documents where is_parsed"
        ).fetchall()
    )
    assert documents == {
        "kh-01-bql-kcn-dong-nai-2020.pdf": "01/KH-KCNĐN",
        "kh-300-ubnd-dong-nai-2024.md": "300/KH-UBND",
        "kh-ubnd-phuong-chon-thanh-2026.md": None,
        "qd-3028-ubnd-quang-binh-2021-2030.md": "3028/QĐ-UBND",
    }
    targets = published.execute(
        "select target_value, agency_level, indicator_name_vi from main.plan_targets "
        "where document_number = '300/KH-UBND' and indicator_code = 'online_application_rate' "
        "order by target_value desc"
    ).fetchall()
    assert [(value, level) for value, level, _ in targets] == [
        (80.0, "department"),
        (40.0, "district"),
        (30.0, "commune"),
    ]
    assert targets[0][2] == "Tỷ lệ hồ sơ thủ tục hành chính tiếp nhận và giải quyết trực tuyến"
    (tasks,) = published.execute("select count(*) from main.plan_tasks").fetchone()
    assert tasks == 36 + 67 + 62


def test_task_agencies_resolve_to_dim_agency(published):
    rows = published.execute(
        """
        select agencies.raw_name, dim.agency_name_vi
        from main.plan_task_agencies as agencies
        join main.plan_tasks as tasks using (plan_task_key)
        join main.dim_agency as dim using (agency_key)
        where tasks.document_number = '300/KH-UBND' and tasks.stt = '1.6'
            and agencies.agency_role = 'coordinating'
        """
    ).fetchall()
    assert rows == [("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh Đồng Nai")]


def test_broken_documents_are_rejected_with_a_reason_and_the_rest_load(published):
    rejected = dict(
        published.execute(
            "select source_file, rejection_reason from main.plan_documents where not is_parsed"
        ).fetchall()
    )
    assert set(rejected) == set(BROKEN_PLANS)
    assert "Không mở được tệp PDF" in rejected["ke-hoach-tai-chua-tron.pdf"]
    assert "Không tìm thấy chỉ tiêu" in rejected["ghi-chu.md"]


def test_every_file_is_archived_as_received(published, warehouse_settings):
    for path, digest in published.execute(
        "select archived_path, content_hash from main.plan_documents"
    ).fetchall():
        assert not Path(path).is_absolute()  # relative to the warehouse folder, which can move
        archived = warehouse_settings.warehouse_dir / path
        received = warehouse_settings.plans_dir / archived.name
        assert archived.read_bytes() == received.read_bytes()
        assert digest[:16] in path


def test_nothing_is_pending_after_a_build(warehouse_settings):
    assert pending_work(warehouse_settings) == {
        "plans": {},
        "reports": {},
        "reviews": {},
        "self_assessments": {},
        "appraisals": {},
        "indices": {},
    }


def test_a_changed_file_supersedes_keeping_its_history_and_a_removed_one_is_forgotten(fork):
    def counts(conn) -> tuple:
        return conn.execute(
            "select (select count(*) from main.plan_targets), (select count(*) from main.plan_tasks), "
            "(select count(*) from raw_plans.plan_document_versions)"
        ).fetchone()

    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        before = counts(conn)
        (removed_targets,) = conn.execute(
            "select count(*) from main.plan_targets where source_file = 'kh-01-bql-kcn-dong-nai-2020.pdf'"
        ).fetchone()
    plan = fork.plans_dir / "kh-300-ubnd-dong-nai-2024.md"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "tối thiểu 97%, mức độ hài lòng", "tối thiểu 98%, mức độ hài lòng"
        ),
        encoding="utf-8",
    )
    (fork.plans_dir / "kh-01-bql-kcn-dong-nai-2020.pdf").unlink()
    work = pending_work(fork)
    assert work["plans"] == {
        "kh-300-ubnd-dong-nai-2024.md": {"kh-300-ubnd-dong-nai-2024.md": file_hash(plan)},
        "kh-01-bql-kcn-dong-nai-2020.pdf": {"kh-01-bql-kcn-dong-nai-2020.pdf": None},
    }
    assert not work["reports"] and not work["indices"]

    results = build_warehouse(fork, downstream_of("plans"))
    assert len(results) == 3 and all(result.success for result in results)  # two plan runs, the build
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        on_time = conn.execute(
            "select target_value from main.plan_targets where document_number = '300/KH-UBND' "
            "and indicator_code = 'tthc_on_time_rate'"
        ).fetchall()
        versions = conn.execute(
            "select version_count from main.plan_documents where source_file = 'kh-300-ubnd-dong-nai-2024.md'"
        ).fetchone()
        documents = {row[0] for row in conn.execute("select source_file from main.plan_documents").fetchall()}
        after = counts(conn)
    assert on_time == [(98.0,)]
    assert versions == (2,)
    assert "kh-01-bql-kcn-dong-nai-2020.pdf" not in documents
    assert after[0] == before[0] - removed_targets
    assert after[2] == before[2] + 1  # the new content is recorded; the removed file's history stays
    assert not pending_work(fork)
