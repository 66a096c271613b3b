"""The review workbook as the officer opens it: one row per report with its status, findings and jumps,
a decision already taken filled in, the two keys hidden, only the reviewer's name, the decision (from a
drop-down) and the reason open to typing, printed on A4 landscape with the header on every page."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from pipelines.forms.review import ReviewRow, write_review_workbook


def test_the_review_workbook_lists_each_report_and_opens_only_what_the_officer_fills(tmp_path):
    rows = [
        ReviewRow(
            "Sở Tư pháp tỉnh Đồng Nai",
            "kiem-thu/so-tu-phap-q3.xlsx",
            "a" * 64,
            datetime(2024, 9, 18, 8, 5),
            "được tính",
            "• cảnh báo: Trang 'Thông tin chung' ô B13: 'Ngày báo cáo' để trống.",
            "• Tỷ lệ hồ sơ trực tuyến (ô F9): 100 so với 20 kỳ 2024-Q1 – thay đổi lớn so với kỳ trước",
            None,
            None,
        ),
        ReviewRow(
            "UBND xã Phú Lý",
            "xa/phu-ly.xlsx",
            "b" * 64,
            datetime(2024, 9, 25),
            "trả lại – chờ gửi lại",
            None,
            None,
            "Trả lại",
            "Thiếu số liệu",
        ),
    ]
    path = write_review_workbook(
        tmp_path / "xem-xet.xlsx", "2024-Q3", "Quý III/2024", datetime(2024, 9, 21, 6), rows
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Xem xét"]
    assert sheet["A1"].value == "Xem xét báo cáo cải cách hành chính – Quý III/2024"
    assert [cell.value for cell in sheet[5]] == [
        "STT",
        "Cơ quan",
        "Tệp báo cáo",
        "Ngày nhận",
        "Tình trạng",
        "Điểm cần xem",
        "Số liệu biến động",
        "Kết quả xem xét",
        "Lý do",
        "Mã tệp",
        "Mã nội dung",
    ]
    assert [cell.value for cell in sheet[7]] == [
        2,
        "UBND xã Phú Lý",
        "phu-ly.xlsx",
        datetime(2024, 9, 25),
        "trả lại – chờ gửi lại",
        None,
        None,
        "Trả lại",
        "Thiếu số liệu",
        "xa/phu-ly.xlsx",
        "b" * 64,
    ]
    assert sheet["D6"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet.column_dimensions["J"].hidden and sheet.column_dimensions["K"].hidden
    # protected: what the officer types is open, the rest locked
    assert sheet.protection.sheet
    open_cells = {
        cell.coordinate
        for row in sheet.iter_rows(min_row=1, max_row=7)
        for cell in row
        if not cell.protection.locked
    }
    assert open_cells == {"C3", "D3", "E3", "H6", "I6", "H7", "I7"}  # the reviewer's name across C3:E3
    (choice,) = sheet.data_validations.dataValidation
    assert choice.formula1 == '"Chấp nhận,Trả lại"' and str(choice.sqref) == "H6 H7"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$5:$5"
    assert (
        sheet.row_dimensions[6].height > sheet.row_dimensions[7].height
        or sheet.row_dimensions[7].height is None
    )
    meta = workbook["_cchc"]
    assert meta.sheet_state == "hidden"
    assert [tuple(row) for row in meta.iter_rows(max_row=2, values_only=True)] == [
        ("kind", "review"),
        ("period_key", "2024-Q3"),
    ]


def test_a_period_without_reports_says_so(tmp_path):
    path = write_review_workbook(tmp_path / "x.xlsx", "2025-Q1", "Quý I/2025", datetime(2025, 3, 21, 6), [])
    assert openpyxl.load_workbook(path)["Xem xét"]["A6"].value == "Chưa có báo cáo nào của kỳ này."
