"""Rows as tall as their wrapped words, so nothing is cut when a sheet is printed or opened elsewhere."""

import openpyxl
import pytest
from openpyxl.styles import Alignment, Font

from pipelines.forms.rows import fit_rows, wrapped_lines


def test_lines_are_counted_by_words_in_the_column_width():
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("Rà soát văn bản", 20) == 1  # 15 characters fit in 22
    assert wrapped_lines("Rà soát văn bản quy phạm pháp luật", 10) == 4  # 11 characters a line
    assert wrapped_lines("một\nhai\nba", 40) == 3  # its own line breaks count
    assert wrapped_lines("x" * 25, 10) == 3  # a word longer than the line is broken at the edge


def test_a_row_gets_the_height_of_its_tallest_wrapped_cell_and_a_hidden_column_counts_for_nothing():
    sheet = openpyxl.Workbook().active
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["B"].hidden = True
    wrap = Alignment(wrap_text=True)
    sheet["A1"].value, sheet["A1"].alignment = "Rà soát văn bản quy phạm pháp luật", wrap
    sheet["B2"].value, sheet["B2"].alignment = "Rà soát văn bản quy phạm pháp luật", wrap
    sheet["A3"].value = "Rà soát văn bản quy phạm pháp luật"  # not wrapped: runs on, one line
    fit_rows(sheet, line_height=15)
    assert sheet.row_dimensions[1].height == 62  # 4 lines × 15 + 2
    assert sheet.row_dimensions[2].height is None
    assert sheet.row_dimensions[3].height is None


def test_a_path_breaks_after_its_slashes_and_dashes_as_the_programs_break_it():
    # LibreOffice printed "demo/2024/" | "so_thong_tin_truy" | "en_thong_2024-" | "FY.xlsx" in 15 units
    assert wrapped_lines("demo/2024/so_thong_tin_truyen_thong_2024-FY.xlsx", 15) == 4
    assert wrapped_lines("300/KH-UBND", 12) == 1  # fits whole: no break needed


def test_larger_or_bold_type_takes_taller_rows_and_fewer_characters_a_line():
    sheet = openpyxl.Workbook().active
    sheet.column_dimensions["A"].width = 20
    wrap = Alignment(wrap_text=True)
    for row in (1, 2, 3):
        sheet.cell(row=row, column=1, value="Chỉ số cải cách hành chính").alignment = wrap  # 26 characters
    sheet["A2"].font = Font(size=22)  # twice the type: half the characters a line, lines twice as tall
    sheet["A3"].value = "Tổng hợp"
    sheet["A3"].font = Font(size=14, bold=True)  # a title: one line, but a taller one
    fit_rows(sheet, line_height=15)
    assert sheet.row_dimensions[1].height == 32  # 22 characters a line: 2 lines × 15 + 2
    assert sheet.row_dimensions[2].height == 92  # 11 a line: "Chỉ số cải" "cách hành" "chính", × 2 × 15 + 2
    assert sheet.row_dimensions[3].height == pytest.approx(23)  # 14 pt bold: 1.4 lines of 15, + 2
