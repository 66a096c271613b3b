"""Rows as tall as their wrapped words, so nothing is cut when a sheet is printed or opened elsewhere."""

import openpyxl
from openpyxl.styles import Alignment

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
