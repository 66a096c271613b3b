"""The loop with an agency, as Sở Nội vụ Đồng Nai runs it for quý III/2024 (due 20/09/2024, books closed
19/01/2025 = the annual report's due date 20/12/2024 + 30 days):

- Sở Nội vụ's own report arrives on 18/09 with the online rate typed "71,5 %";
- the officer writes the period's review workbook, returns the report ("Trả lại") with a reason, and
  drops the file into raw/reviews on 23/09: the report stops counting, the chase list shows
  "trả lại – chờ gửi lại", the feedback workbook carries the reason;
- the corrected file arrives on 26/09 (1610 of 2000 applications online: 80,5 %): it counts, late by 6
  days; the value-change view lists 71,5 → 80,5;
- raw/ alone, built into a new warehouse, gives every table the same.

And the closed books: a file for quý III sent on 03/02/2025 is "sau khóa sổ", replaces nothing, and counts
only once a review file accepts it.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import openpyxl
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.definitions import build_definitions
from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.orchestration.automation import BUILD_JOB, after_report_due_date
from pipelines.settings import Settings
from pipelines.warehouse.digest import table_digests
from tests.integration.conftest import EXTRACTS, build_warehouse, downstream_of, published_rows, received

AGENCY = "dong_nai.so_noi_vu"
FIRST, CORRECTED, LATE = (
    "kiem-thu/so-noi-vu-q3.xlsx",
    "kiem-thu/so-noi-vu-q3-sua.xlsx",
    "kiem-thu/q3-bo-sung.xlsx",
)
REASON = "Tỷ lệ 71,5 % không khớp số hồ sơ trên Cổng dịch vụ công; đề nghị kiểm tra, gửi lại."


def _review(tmp_path: Path, decisions: dict[str, tuple[str, str | None]], into: Path, when: str) -> Path:
    """Write quý III's review workbook with `cchc review-workbook`, fill it as the officer does (a
    decision and a reason for the named report files, the reviewer's name) and drop it into raw/reviews;
    the workbook as written."""
    out = tmp_path / f"xem-xet-{when[:10]}"
    done = CliRunner().invoke(
        app, ["review-workbook", "--period", "2024-Q3", "--province", "dong_nai", "-o", str(out)]
    )
    assert done.exit_code == 0, done.output
    (path,) = out.glob("*.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Xem xét"]
    headers = {cell.value: cell.column for cell in sheet[5]}
    sheet["C3"] = "Phạm Thị Hồng (Phòng CCHC)"
    decided = set()
    for row in sheet.iter_rows(min_row=6):
        report_file = row[headers["Mã tệp"] - 1].value
        if report_file in decisions:
            decision, reason = decisions[report_file]
            row[headers["Kết quả xem xét"] - 1].value = decision
            row[headers["Lý do"] - 1].value = reason
            decided.add(report_file)
    assert decided == set(decisions)
    into.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(into)
    received(into, when)
    return path


def _compliance(settings: Settings) -> tuple:
    (row,) = published_rows(
        settings,
        "select compliance_status, compliance_status_vi, counted_file, days_late, returned_count"
        f" from bi.report_compliance where agency_key = '{AGENCY}' and period_key = '2024-Q3'",
    )
    return row


def _statuses(settings: Settings) -> dict[str, tuple]:
    rows = published_rows(
        settings,
        "select source_file, submission_status, is_counted, review_decision from main.report_submissions"
        " where source_file like 'kiem-thu/%'",
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def test_a_report_returned_then_corrected_and_raw_alone_gives_the_same_tables(fork, office, tmp_path):
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        form = report_form(conn, AGENCY, "2024-Q3")
    rate = next(line for line in form.indicators if line.is_rate)
    template = write_template(form, tmp_path / "q3.xlsx")
    inbox = fork.reports_dir
    contact = {"submitter": "Lê Văn Tâm", "phone": "0251 3822 000", "email": "letam@dongnai.gov.vn"}
    received(
        fill_report(template, inbox / FIRST, Filling(actuals={rate.code: "71,5 %"}, **contact)),
        "2024-09-18T08:00",
    )
    assert all(result.success for result in build_warehouse(fork, downstream_of("reports")))
    assert _statuses(fork) == {FIRST: ("accepted", True, None)}
    assert _compliance(fork) == ("on_time", "đúng hạn", FIRST, 0, 0)
    # the statutory tick of 21/09 writes the period's review workbook beside its chase list
    tick = datetime(2024, 9, 21, 6, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    request = after_report_due_date(dg.build_schedule_context(scheduled_execution_time=tick))
    with dg.DagsterInstance.ephemeral() as instance:
        ticked = (
            build_definitions(fork)
            .resolve_job_def(BUILD_JOB)
            .execute_in_process(
                instance=instance,
                run_config=request.run_config,
                asset_selection=[dg.AssetKey("chase_list"), dg.AssetKey("review_workbooks")],
            )
        )
    assert ticked.success
    on_tick = openpyxl.load_workbook(fork.extracts_dir / "xem-xet" / "xem-xet-dong_nai-2024-Q3.xlsx")[
        "Xem xét"
    ]
    assert [(row[1], row[9]) for row in on_tick.iter_rows(min_row=6, values_only=True)] == [
        ("Sở Nội vụ tỉnh Đồng Nai", FIRST)
    ]

    # returned with a reason: nothing counts for Sở Nội vụ's quý III any more
    written = _review(
        tmp_path,
        {FIRST: ("Trả lại", REASON)},
        fork.raw_dir / "reviews" / "xem-xet-q3.xlsx",
        "2024-09-23T10:00",
    )
    assert all(result.success for result in build_warehouse(fork, downstream_of("reviews")))
    assert _statuses(fork) == {FIRST: ("returned", False, "returned")}
    assert _compliance(fork) == ("returned", "trả lại – chờ gửi lại", None, None, 1)
    counted = published_rows(
        fork,
        f"select count(*) from main.report_indicator_values where is_counted and agency_key = '{AGENCY}'"
        " and period_key = '2024-Q3'",
    )
    assert counted == [(0,)]

    chase = CliRunner().invoke(app, ["chase-list", "--period", "2024-Q3", "-o", str(tmp_path / "don-doc")])
    assert chase.exit_code == 0, chase.output
    chase_path = tmp_path / "don-doc" / "don-doc-2024-Q3.xlsx"
    rows = list(openpyxl.load_workbook(chase_path)["Đồng Nai"].iter_rows(min_row=5, values_only=True))
    (ours,) = [row for row in rows if row[1] == "Sở Nội vụ tỉnh Đồng Nai"]
    assert ours[3] == "trả lại – chờ gửi lại"
    assert ours[9] == f"Sở Nội vụ trả lại: {REASON}"
    assert rows[0][3] == "chưa nộp"  # those who sent nothing come first

    listed = CliRunner().invoke(
        app, ["feedback", "--agency", AGENCY, "--period", "2024-Q3", "-o", str(tmp_path / "phan-hoi")]
    )
    assert listed.exit_code == 0, listed.output
    (line,) = listed.output.splitlines()
    source_file, feedback_path = line.split("\t")
    assert source_file == FIRST
    facts = {
        row[0]: row[2]
        for row in openpyxl.load_workbook(feedback_path)["Phản hồi"].iter_rows(
            min_row=4, max_row=12, values_only=True
        )
    }
    assert (
        facts["Tình trạng"]
        == "trả lại – chờ gửi lại. Không được tính: Sở Nội vụ trả lại, chờ đơn vị gửi lại."
    )
    assert facts["Kết quả xem xét"] == "Trả lại (Phạm Thị Hồng (Phòng CCHC), 23/09/2024)"
    assert facts["Lý do"] == REASON
    assert facts["Nhận lúc"] == "18/09/2024 08:00"
    assert facts["Hạn nộp, khóa sổ"] == "hạn 20/09/2024; khóa sổ 19/01/2025"
    assert facts["Người lập báo cáo"] == "Lê Văn Tâm, 0251 3822 000, letam@dongnai.gov.vn"
    findings = list(openpyxl.load_workbook(feedback_path)["Phản hồi"].iter_rows(min_row=15, values_only=True))
    assert findings[0][:2] == (1, "trả lại") and findings[0][5] == f"Sở Nội vụ trả lại: {REASON}"
    # printed for the clerk: whole, no type below 8 pt
    pdf = office.to_pdf(Path(feedback_path), tmp_path)
    assert office.not_printed_whole(Path(feedback_path), pdf) == []
    assert office.smallest_type(pdf) >= 8
    pdf = office.to_pdf(chase_path, tmp_path)
    assert office.not_printed_whole(chase_path, pdf) == []
    assert "###" not in office.text(pdf)
    pdf = office.to_pdf(written, tmp_path)
    assert office.not_printed_whole(written, pdf) == []
    assert office.smallest_type(pdf) >= 8
    assert "###" not in office.text(pdf)  # the received time fits its column

    # the corrected file: it counts (late: received 26/09, due 20/09), the change is on record
    received(
        fill_report(template, inbox / CORRECTED, Filling(parts={rate.code: (1610, 2000)}, **contact)),
        "2024-09-26T09:30",
    )
    assert all(result.success for result in build_warehouse(fork, downstream_of("reports")))
    assert _statuses(fork) == {FIRST: ("returned", False, "returned"), CORRECTED: ("accepted", True, None)}
    assert _compliance(fork) == ("late", "trễ hạn", CORRECTED, 6, 1)
    changes = published_rows(
        fork,
        "select indicator_code, old_value, new_value, old_file, new_file from bi.report_value_changes"
        f" where agency_key = '{AGENCY}' and period_key = '2024-Q3'",
    )
    assert changes == [(rate.code, 71.5, 80.5, FIRST, CORRECTED)]

    # raw/ alone: a new warehouse built from a copy of it has every table as the one built step by step
    # (the extracts are files drawn from those tables, not tables: left out, as test_crashes does)
    again = Settings.at(tmp_path / "again" / "warehouse" / "cchc.duckdb", tmp_path / "again" / "raw")
    shutil.copytree(fork.raw_dir, again.raw_dir)
    assert all(result.success for result in build_warehouse(again, dg.AssetSelection.all() - EXTRACTS))
    stepwise, rebuilt = table_digests(fork.published_path), table_digests(again.published_path)
    assert sorted(rebuilt) == sorted(stepwise)
    assert [table for table in sorted(stepwise) if rebuilt[table] != stepwise[table]] == []


def test_a_file_after_the_books_closed_counts_only_once_a_review_accepts_it(fork, tmp_path):
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        form = report_form(conn, AGENCY, "2024-Q3")
        (closes_on,) = conn.execute(
            "select closes_on from main.dim_period where period_key = '2024-Q3'"
        ).fetchone()
    assert closes_on.isoformat() == "2025-01-19"
    rate = next(line for line in form.indicators if line.is_rate)
    template = write_template(form, tmp_path / "q3.xlsx")
    received(
        fill_report(template, fork.reports_dir / FIRST, Filling(actuals={rate.code: "71,5"})),
        "2024-09-18T08:00",
    )
    late = fill_report(template, fork.reports_dir / LATE, Filling(actuals={rate.code: "90"}))
    received(late, "2025-02-03T14:00")
    assert all(result.success for result in build_warehouse(fork, downstream_of("reports")))
    # the late file replaces nothing: the file sent in time still counts
    assert _statuses(fork) == {FIRST: ("accepted", True, None), LATE: ("after_close", False, None)}
    (label,) = published_rows(
        fork, f"select submission_status_vi from main.report_submissions where source_file = '{LATE}'"
    )
    assert label == ("sau khóa sổ – chờ xem xét",)
    value = (
        "select actual_value from main.report_indicator_values where is_counted"
        f" and agency_key = '{AGENCY}' and period_key = '2024-Q3' and indicator_code = '{rate.code}'"
    )
    assert published_rows(fork, value) == [(71.5,)]

    _review(
        tmp_path,
        {LATE: ("Chấp nhận", None)},
        fork.raw_dir / "reviews" / "chap-nhan-bo-sung.xlsx",
        "2025-02-05T09:00",
    )
    assert all(result.success for result in build_warehouse(fork, downstream_of("reviews")))
    assert _statuses(fork) == {FIRST: ("superseded", False, None), LATE: ("accepted", True, "accepted")}
    assert published_rows(fork, value) == [(90.0,)]
