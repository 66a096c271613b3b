"""The appraisal workbook as the council opens it: one row per agency and criterion, "Điểm thẩm định"
prefilled with the proposal (or the council's earlier score of the same content) in an open cell bounded by
the criterion's maximum, the keys hidden; the files sheet offers Chấp nhận / Trả lại."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from pipelines.forms.appraisal import (
    COLUMNS,
    FILE_COLUMNS,
    FILES_SHEET,
    SHEET,
    AppraisalRow,
    FileRow,
    column_of,
    write_appraisal_workbook,
)

HASH = "a" * 64
ROWS = [
    AppraisalRow(
        "dong_nai.so_noi_vu",
        "Sở Nội vụ",
        "1.2.1",
        "Báo cáo đúng hạn",
        1,
        0,
        0,
        "chấm từ dữ liệu",
        0,
        None,
        None,
        "snv.xlsx",
        HASH,
    ),
    AppraisalRow(
        "dong_nai.so_noi_vu",
        "Sở Nội vụ",
        "1.4",
        "Tuyên truyền",
        2,
        None,
        2,
        "đủ tài liệu (1 tài liệu)",
        2,
        1.5,
        "Kế hoạch chưa đủ nội dung.",
        "snv.xlsx",
        HASH,
    ),
    AppraisalRow(
        "dong_nai.so_noi_vu",
        "Sở Nội vụ",
        "8.1",
        "Hài lòng",
        20,
        None,
        None,
        "điều tra xã hội học",
        None,
        None,
        None,
        "snv.xlsx",
        HASH,
    ),
]
FILES = [
    FileRow("dong_nai.so_noi_vu", "Sở Nội vụ", "snv.xlsx", HASH, datetime(2025, 1, 20, 10), 33, None, None)
]


def test_scores_are_prefilled_open_and_bounded_and_the_keys_hidden(tmp_path):
    path = write_appraisal_workbook(
        tmp_path / "td.xlsx", "dong_nai", "Đồng Nai", 2024, datetime(2025, 2, 1), ROWS, FILES
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SHEET]
    appraised = column_of("Điểm thẩm định")
    assert [sheet.cell(row, appraised).value for row in (6, 7, 8)] == [0, 1.5, None]  # the earlier score wins
    assert sheet.cell(7, column_of("Lý do")).value == "Kế hoạch chưa đủ nội dung."
    assert all(sheet.cell(row, appraised).protection.locked is False for row in (6, 7, 8))
    assert sheet.cell(6, column_of("Điểm tự chấm")).protection.locked
    bounds = sorted((rule.formula2, str(rule.sqref)) for rule in sheet.data_validations.dataValidation)
    assert bounds == [("1", "I6"), ("2", "I7"), ("20", "I8")]
    hidden = [name for name, _ in COLUMNS if sheet.column_dimensions[chr(64 + column_of(name))].hidden]
    assert hidden == ["Mã cơ quan", "Mã tệp", "Mã nội dung"]
    files = workbook[FILES_SHEET]
    (choice,) = files.data_validations.dataValidation
    assert choice.formula1 == '"Chấp nhận,Trả lại"' and str(choice.sqref) == "F6"
    assert files.cell(6, column_of("Mã nội dung", FILE_COLUMNS)).value == HASH
    meta = dict(workbook["_cchc"].iter_rows(values_only=True))
    assert (meta["kind"], meta["province_key"], meta["assessed_year"]) == ("appraisal", "dong_nai", 2024)
