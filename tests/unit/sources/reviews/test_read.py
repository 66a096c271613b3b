"""A review workbook as Sở Nội vụ sends it back: the decisions read whatever the officer did to the
layout (rows inserted above the table, columns widened, words typed without accents), each bad row
rejected alone with its sheet and cell, and a file that is no review workbook refused whole."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from pipelines.forms.report.layout import META_SHEET
from pipelines.forms.report.template import write_template
from pipelines.forms.review import ReviewRow, write_review_workbook
from pipelines.sources.reviews.read import ReviewRejected, read_review
from tests.unit.formats.test_workbooks import damage_sheet
from tests.unit.sources.reports.test_read import FORM

HASH_A, HASH_B, HASH_C = "a" * 64, "b" * 64, "c" * 64


def _rows() -> list[ReviewRow]:
    def row(agency: str, file: str, digest: str) -> ReviewRow:
        return ReviewRow(agency, file, digest, datetime(2024, 9, 18, 8), "được tính", None, None, None, None)

    return [
        row("Sở Tư pháp tỉnh Đồng Nai", "so-tu-phap/q3.xlsx", HASH_A),
        row("Sở Nội vụ tỉnh Đồng Nai", "so-noi-vu/q3.xlsx", HASH_B),
        row("UBND xã Phú Lý", "xa/phu-ly-q3.xlsx", HASH_C),
    ]


def _filled(
    tmp_path: Path,
    fill: dict[int, tuple[str | None, str | None]],
    *,
    reviewer: str | None = "Phạm Thị Hồng",
    insert_rows: int = 0,
) -> Path:
    """The period's review workbook with decision and reason typed in the n-th data row (1-based)."""
    path = write_review_workbook(
        tmp_path / "xem-xet.xlsx", "2024-Q3", "Quý III/2024", datetime(2024, 9, 21, 6), _rows()
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Xem xét"]
    sheet["C3"] = reviewer
    for number, (decision, reason) in fill.items():
        sheet.cell(row=5 + number, column=8, value=decision)
        sheet.cell(row=5 + number, column=9, value=reason)
    if insert_rows:
        sheet.insert_rows(1, insert_rows)  # the officer adds a letterhead above the table
        sheet.column_dimensions["F"].width = 60
    workbook.save(tmp_path / "filled.xlsx")
    return tmp_path / "filled.xlsx"


def test_decisions_are_read_with_their_file_and_content(tmp_path):
    reading = read_review(_filled(tmp_path, {1: ("Chấp nhận", None), 2: ("Trả lại", "Số liệu CT03 sai.")}))
    assert reading.period_key == "2024-Q3" and reading.reviewer == "Phạm Thị Hồng" and reading.warnings == []
    assert [
        (d.row, d.file, d.content_hash, d.decision, d.reason, d.decision_cell) for d in reading.decisions
    ] == [
        (6, "so-tu-phap/q3.xlsx", HASH_A, "accepted", None, "H6"),
        (7, "so-noi-vu/q3.xlsx", HASH_B, "returned", "Số liệu CT03 sai.", "H7"),
    ]  # the third row is left blank: no decision


def test_rows_inserted_above_and_words_without_accents_still_read(tmp_path):
    path = _filled(
        tmp_path, {3: ("tra lai", "Thiếu số liệu quý III"), 1: ("  CHẤP NHẬN ", None)}, insert_rows=2
    )
    reading = read_review(path)
    assert [(d.row, d.decision, d.decision_cell) for d in reading.decisions] == [
        (8, "accepted", "H8"),
        (10, "returned", "H10"),
    ]
    assert reading.reviewer == "Phạm Thị Hồng"  # found by its label, now on row 5


def test_a_bad_row_is_rejected_alone_with_its_sheet_and_cell(tmp_path):
    path = _filled(
        tmp_path, {1: ("Đồng ý", None), 2: ("Trả lại", None), 3: ("Chấp nhận", None)}, reviewer=None
    )
    workbook = openpyxl.load_workbook(path)
    workbook["Xem xét"]["J8"] = None  # the hidden key of the third row cleared
    workbook.save(path)
    reading = read_review(path)
    assert [(d.row_status, d.issue) for d in reading.decisions] == [
        (
            "rejected",
            "Trang 'Xem xét' ô H6: 'Đồng ý' không phải kết quả xem xét; chọn 'Chấp nhận' hoặc 'Trả lại'.",
        ),
        ("rejected", "Trang 'Xem xét' ô I7: trả lại mà không ghi lý do; đơn vị cần biết phải sửa gì."),
        (
            "rejected",
            "Trang 'Xem xét' ô J8 (cột ẩn 'Mã tệp', 'Mã nội dung') trống: không biết dòng 8 xét tệp nào.",
        ),
    ]
    assert all(d.decision is None for d in reading.decisions)
    assert reading.warnings == ["Trang 'Xem xét' ô C3: chưa ghi người xem xét."]


def test_a_file_that_is_no_review_workbook_is_refused_with_a_reason(tmp_path):
    report = write_template(FORM, tmp_path / "bao-cao.xlsx")  # a report template sent to the wrong folder
    with pytest.raises(ReviewRejected, match="không phải phiếu xem xét do hệ thống lập"):
        read_review(report)
    text = tmp_path / "ghi-chu.txt"
    text.write_text("Chấp nhận hết", encoding="utf-8")
    with pytest.raises(ReviewRejected, match="không phải bảng tính Excel"):
        read_review(text)
    path = _filled(tmp_path, {1: ("Chấp nhận", None)})
    workbook = openpyxl.load_workbook(path)
    workbook["Xem xét"].delete_cols(9)  # the reason column deleted
    workbook.save(path)
    with pytest.raises(ReviewRejected, match="dòng 5 thiếu cột 'Lý do'"):
        read_review(path)


def test_the_reviewer_typed_beside_the_label_and_a_reason_without_a_decision(tmp_path):
    path = _filled(tmp_path, {1: ("Chấp nhận", None), 2: (None, "Chờ giải trình")}, reviewer=None)
    workbook = openpyxl.load_workbook(path)
    workbook["Xem xét"].unmerge_cells("A3:B3")
    workbook["Xem xét"]["A3"] = "Người xem xét : Trần Văn Bình"  # typed into the label's own cell
    workbook.save(path)
    reading = read_review(path)
    assert reading.reviewer == "Trần Văn Bình"
    assert [d.row for d in reading.decisions] == [6]
    assert reading.warnings == [
        "Trang 'Xem xét' ô H7: có lý do nhưng chưa chọn kết quả xem xét; dòng chưa quyết định gì."
    ]


def test_a_hidden_block_naming_no_period_refuses_the_file(tmp_path):
    path = _filled(tmp_path, {1: ("Chấp nhận", None)})
    workbook = openpyxl.load_workbook(path)
    workbook["_cchc"]["B2"] = "2024-Q5"  # edited by hand
    workbook.save(path)
    with pytest.raises(ReviewRejected, match="ghi kỳ '2024-Q5', không phải kỳ báo cáo"):
        read_review(path)


@pytest.mark.parametrize("sheet", ["Xem xét", META_SHEET])
def test_a_damaged_sheet_is_told_as_damaged_not_as_missing(tmp_path, sheet):
    # it was refused as missing ('Tệp không có trang', or no review workbook at all for the hidden one)
    path = damage_sheet(_filled(tmp_path, {1: ("Chấp nhận", None)}), sheet)
    with pytest.raises(ReviewRejected) as refused:
        read_review(path)
    assert (
        refused.value.reason
        == f"Không đọc được trang tính '{sheet}' (trang bị hỏng): hãy lưu lại tệp bằng Excel."
    )
