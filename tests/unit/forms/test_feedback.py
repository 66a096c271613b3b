"""The feedback workbook as the clerk opens it: what became of the file in a block of labelled facts, then
every finding in a table with its sheet, cell, what was typed and what to do; printed on A4 landscape."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from pipelines.forms.feedback import write_feedback_workbook

FACTS = [
    ("Cơ quan", "UBND xã Phú Lý"),
    ("Tình trạng", "bị từ chối. Không được tính: tệp bị từ chối (xem lý do bên dưới)."),
]


def test_facts_then_findings_with_sheet_cell_and_what_to_do(tmp_path):
    findings = [
        (
            "dòng bị loại",
            "Chỉ tiêu",
            "F9",
            "khoảng 90",
            "Ô F9: 'khoảng 90' không phải là số.",
            "Sửa ô này rồi gửi lại.",
        ),
        (
            "cảnh báo",
            "Thông tin chung",
            None,
            None,
            "Trang 'Thông tin chung': chưa ghi số điện thoại. " * 4,
            "Xem lại.",
        ),
    ]
    path = write_feedback_workbook(tmp_path / "phan-hoi.xlsx", FACTS, findings, datetime(2024, 9, 21, 6))
    sheet = openpyxl.load_workbook(path)["Phản hồi"]
    assert sheet["A1"].value == "Phiếu phản hồi báo cáo cải cách hành chính"
    assert [(sheet[f"A{row}"].value, sheet[f"C{row}"].value) for row in (4, 5)] == FACTS
    assert {str(merged) for merged in sheet.merged_cells.ranges} == {"A4:B4", "C4:G4", "A5:B5", "C5:G5"}
    assert [cell.value for cell in sheet[7]] == ["STT", "Loại", "Trang", "Ô", "Đã nhập", "Vấn đề", "Cần làm"]
    assert [cell.value for cell in sheet[8]] == [1, *findings[0]]
    assert sheet["B9"].value == "cảnh báo" and sheet["D9"].value is None
    assert sheet.row_dimensions[9].height >= 4 * 15  # the long warning wraps in its column, never cut
    assert sheet.print_title_rows == "$7:$7" and sheet.page_setup.orientation == "landscape"


def test_a_clean_file_says_there_is_nothing_to_fix(tmp_path):
    path = write_feedback_workbook(tmp_path / "phan-hoi.xlsx", FACTS, [], datetime(2024, 9, 21, 6))
    assert openpyxl.load_workbook(path)["Phản hồi"]["A8"].value == "Không có điểm nào cần sửa."
