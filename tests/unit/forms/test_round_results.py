"""The result workbook: a ranking table per level under its name, the adjustments and the proof gaps on
sheets of their own, a note where a sheet has nothing to list."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from pipelines.forms.round_results import ADJUSTMENTS, EVIDENCE, RANKING, Level, write_round_results


def test_levels_adjustments_and_gaps_each_have_their_place(tmp_path):
    levels = [
        Level(
            "Cấp sở",
            [
                [1, "Sở Tư pháp", 35.0, 17.0, 17.0, 18.0, 0.0, 6.45, "đã thẩm định"],
                [None, "Sở Y tế", None, None, None, None, None, None, "chưa thẩm định xong (0/26 tiêu chí)"],
            ],
        ),
    ]
    path = write_round_results(tmp_path / "kq.xlsx", "Kết quả 2024", datetime(2025, 3, 1), levels, [], [])
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [RANKING, ADJUSTMENTS, EVIDENCE]
    ranking = workbook[RANKING]
    assert ranking["A4"].value == "Cấp sở" and ranking["A5"].value == "Hạng"
    assert [cell.value for cell in ranking[6]][:3] == [1, "Sở Tư pháp", 35.0]
    assert ranking["C7"].value is None  # no index is no number, never 0
    assert ranking["C6"].number_format == "0.00"
    assert workbook[ADJUSTMENTS]["A5"].value == "Hội đồng không điều chỉnh điểm nào."
    assert workbook[EVIDENCE]["A5"].value == "Không có tiêu chí nào thiếu tài liệu."
    assert ranking.page_setup.orientation == "landscape" and ranking.sheet_properties.pageSetUpPr.fitToPage
