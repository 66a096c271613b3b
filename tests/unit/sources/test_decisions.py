"""A decision row as Sở Nội vụ types it: "Chấp nhận" or "Trả lại" (accents and case aside) bound to the
file and content in the hidden keys; a return without a reason, a word that is no decision and a cleared
key each reject the row with its sheet and cell; a blank decision is none."""

from __future__ import annotations

import openpyxl
import pytest

from pipelines.formats.workbooks import read_workbook
from pipelines.sources.decisions import COLUMNS, read_decision

HEADER = ["Cơ quan", "Kết quả xem xét", "Lý do", "Mã tệp", "Mã nội dung"]


@pytest.fixture
def sheet(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Hồ sơ"
    for row in (
        HEADER,
        ["A", "Chấp nhận", None, "a.xlsx", "ha"],
        ["B", "tra lai", "Thiếu tài liệu", "b.xlsx", "hb"],
        ["C", "Trả lại", None, "c.xlsx", "hc"],
        ["D", "Đồng ý", None, "d.xlsx", "hd"],
        ["E", "Chấp nhận", None, "e.xlsx", None],
        ["F", None, "Chỉ ghi lý do", "f.xlsx", "hf"],
    ):
        workbook.active.append(row)
    workbook.save(tmp_path / "f.xlsx")
    return read_workbook(tmp_path / "f.xlsx").sheets[0]


def test_each_row_decides_alone(sheet):
    columns = {name: HEADER.index(name) for name in COLUMNS}
    read = [read_decision(sheet, row, columns, "cơ quan") for row in range(1, 7)]
    assert [(d.file, d.decision, d.row_status) for d in read[:5]] == [
        ("a.xlsx", "accepted", "accepted"),
        ("b.xlsx", "returned", "accepted"),
        ("c.xlsx", None, "rejected"),
        ("d.xlsx", None, "rejected"),
        ("e.xlsx", None, "rejected"),
    ]
    assert read[2].issue == "Trang 'Hồ sơ' ô C4: trả lại mà không ghi lý do; cơ quan cần biết phải sửa gì."
    assert (
        read[3].issue
        == "Trang 'Hồ sơ' ô B5: 'Đồng ý' không phải kết quả xem xét; chọn 'Chấp nhận' hoặc 'Trả lại'."
    )
    assert read[4].issue == (
        "Trang 'Hồ sơ' ô E6 (cột ẩn 'Mã tệp', 'Mã nội dung') trống: không biết dòng 6 xét tệp nào."
    )
    assert read[5] is None
