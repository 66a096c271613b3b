"""A filled form read back by its labels: the header row found below rows a clerk inserted, columns found
where they were moved, the hidden block read as keys and values, text with its spaces tidied."""

from __future__ import annotations

import openpyxl

from pipelines.formats import filled
from pipelines.formats.workbooks import read_workbook


def _sheet(tmp_path, rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.active.title = "Mẫu"
    workbook.save(tmp_path / "f.xlsx")
    return read_workbook(tmp_path / "f.xlsx").sheets[0]


def test_the_header_and_columns_are_found_by_label_wherever_they_are(tmp_path):
    sheet = _sheet(
        tmp_path,
        [
            ["Công văn số 12"],
            [],
            ["STT", "Lý do", "KẾT QUẢ XEM XET", "Mã tệp"],
            [1, "  Thiếu \n số liệu ", "Trả lại", "a.xlsx"],
        ],
    )
    header = filled.header_row(sheet, "Kết quả xem xét")
    assert header == 2
    columns, missing = filled.columns(sheet, header, ("Kết quả xem xét", "Lý do", "Mã nội dung"))
    assert (columns, missing) == ({"Kết quả xem xét": 2, "Lý do": 1}, "Mã nội dung")
    assert filled.text(sheet, 3, 1) == "Thiếu số liệu"
    assert filled.header_row(sheet, "Điểm thẩm định") is None


def test_the_hidden_block_is_keys_and_values(tmp_path):
    sheet = _sheet(tmp_path, [["kind", "appraisal"], ["assessed_year", 2024], ["province_key", "dong_nai"]])
    assert filled.meta(sheet) == {"kind": "appraisal", "assessed_year": "2024", "province_key": "dong_nai"}
