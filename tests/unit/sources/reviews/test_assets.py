"""Review files in raw/reviews land like any source: archived, read into raw_reviews (a real DuckDB file,
materialized by Dagster), a bad file recorded as rejected with its reason and a bad row with its cell;
a file removed from the folder takes its decisions with it, its versions stay."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.definitions import build_resources
from pipelines.landing.faults import READER_FAULT
from pipelines.landing.source import FOLDER
from pipelines.settings import Settings
from pipelines.sources.reviews import assets
from pipelines.sources.reviews.assets import SOURCE, review_tables
from tests.unit.landing.test_faults import failing_on
from tests.unit.sources.reviews.test_read import HASH_A, HASH_B, _filled


def _materialize(settings: Settings) -> None:
    result = dg.materialize(
        [review_tables],
        partition_key=FOLDER,
        resources=build_resources(settings),  # as the definitions wire them
    )
    assert result.success


def _rows(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_review_files_land_decide_and_are_forgotten_when_removed(tmp_path):
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    inbox = SOURCE.folder(settings)
    inbox.mkdir(parents=True)
    filled = _filled(
        tmp_path, {1: ("Chấp nhận", None), 2: ("Trả lại", "Số liệu CT03 sai."), 3: ("Đồng ý", None)}
    )
    filled.rename(inbox / "xem-xet-q3.xlsx")
    (inbox / "ghi-chu.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    assert sorted(SOURCE.runs(settings, {})[FOLDER]) == ["ghi-chu.xlsx", "xem-xet-q3.xlsx"]
    _materialize(settings)

    files = _rows(
        settings,
        "select source_file, status, period_key, reviewer, decision_count"
        " from raw_reviews.review_files order by 1",
    )
    assert files == [
        ("ghi-chu.xlsx", "rejected", None, None, None),
        ("xem-xet-q3.xlsx", "loaded", "2024-Q3", "Phạm Thị Hồng", 3),
    ]
    (reason,) = _rows(
        settings, "select rejection_reason from raw_reviews.review_files where status = 'rejected'"
    )
    assert reason == (
        "Không mở được tệp: tệp bị hỏng (có thể tải về hoặc chép chưa hết) hoặc không phải bảng tính Excel."
        " Hãy mở lại bằng Excel, lưu lại rồi gửi.",
    )
    decisions = _rows(
        settings,
        "select row_number, report_file, report_hash, decision, reason, row_status, decision_cell"
        " from raw_reviews.review_decisions order by row_number",
    )
    assert decisions == [
        (6, "so-tu-phap/q3.xlsx", HASH_A, "accepted", None, "accepted", "H6"),
        (7, "so-noi-vu/q3.xlsx", HASH_B, "returned", "Số liệu CT03 sai.", "accepted", "H7"),
        (8, "xa/phu-ly-q3.xlsx", "c" * 64, None, None, "rejected", "H8"),
    ]
    assert list(SOURCE.folder(settings).glob("*")) and any(SOURCE.archive(settings).rglob("*.xlsx"))
    assert SOURCE.runs(settings, SOURCE.ledger.read_current(settings.warehouse_path)) == {}  # all loaded

    (inbox / "xem-xet-q3.xlsx").unlink()  # withdrawn: its decisions go, its version stays on record
    _materialize(settings)
    assert _rows(settings, "select count(*) from raw_reviews.review_decisions") == [(0,)]
    assert _rows(settings, "select source_file from raw_reviews.review_file_versions order by 1") == [
        ("ghi-chu.xlsx",),
        ("xem-xet-q3.xlsx",),
    ]


def test_a_fault_of_the_reader_on_one_file_refuses_it_and_the_folder_still_loads(tmp_path, monkeypatch):
    # simulated on one file (no real file is known to cause one now): the folder is one run, which
    # used to fail at every run for that file, the other review files never loaded
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    inbox = SOURCE.folder(settings)
    inbox.mkdir(parents=True)
    _filled(tmp_path, {1: ("Chấp nhận", None)}).rename(inbox / "xem-xet-q3.xlsx")
    _filled(tmp_path, {1: ("Trả lại", "Thiếu số liệu.")}).rename(inbox / "xem-xet-q4.xlsx")
    fault = IndexError("list index out of range")
    failing = failing_on(assets.read_review, lambda path: path.name == "xem-xet-q4.xlsx", fault)
    monkeypatch.setattr(assets, "read_review", failing)
    _materialize(settings)
    files = _rows(
        settings, "select source_file, status, rejection_reason from raw_reviews.review_files order by 1"
    )
    assert files == [("xem-xet-q3.xlsx", "loaded", None), ("xem-xet-q4.xlsx", "rejected", READER_FAULT)]
    assert _rows(settings, "select decision from raw_reviews.review_decisions") == [("accepted",)]
