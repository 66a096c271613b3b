"""An agency's scorecard: its facts, then the points it lost and why, on one portrait page."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from pipelines.forms.scorecard import SHEET, write_scorecard


def test_facts_then_the_points_lost(tmp_path):
    path = write_scorecard(
        tmp_path / "diem.xlsx",
        "Phiếu kết quả Chỉ số CCHC năm 2024",
        [("Cơ quan", "Sở Nội vụ"), ("Xếp hạng", "2/2 (Cấp sở)")],
        [["3.3", "Tiếp nhận phản ánh", 5, 0, 5, "Hội đồng điều chỉnh 5 → 0: Tài liệu của Sở Tư pháp."]],
        datetime(2025, 3, 1),
    )
    sheet = openpyxl.load_workbook(path)[SHEET]
    assert (sheet["A4"].value, sheet["C4"].value, sheet["C5"].value) == (
        "Cơ quan",
        "Sở Nội vụ",
        "2/2 (Cấp sở)",
    )
    assert sheet["A7"].value == "Điểm bị mất và lý do – việc cần làm năm sau"
    assert [cell.value for cell in sheet[9]] == [
        "3.3",
        "Tiếp nhận phản ánh",
        5,
        0,
        5,
        "Hội đồng điều chỉnh 5 → 0: Tài liệu của Sở Tư pháp.",
    ]
    assert sheet.page_setup.orientation == "portrait"


def test_nothing_lost_says_so(tmp_path):
    path = write_scorecard(tmp_path / "d.xlsx", "Phiếu", [("Cơ quan", "Sở Y tế")], [], datetime(2025, 3, 1))
    sheet = openpyxl.load_workbook(path)[SHEET]
    assert (sheet["A7"].value, sheet["A8"].value) == ("Mã", "Không mất điểm nào.")
