"""Workbooks as grids: positions as Excel shows them, numbers as numbers, text as NFC text."""

import unicodedata

import openpyxl

from pipelines.workbooks import cell_address, cell_text, read_workbook


def test_cells_keep_their_excel_positions_when_the_first_rows_and_columns_are_empty(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tổng hợp"
    sheet["C3"] = unicodedata.normalize("NFD", "Đồng Nai")
    sheet["D5"] = 64.5
    sheet["E5"] = 7
    path = tmp_path / "grid.xlsx"
    workbook.save(path)
    (grid,) = read_workbook(path).sheets
    assert grid.cell(2, 2) == "Đồng Nai" == unicodedata.normalize("NFC", grid.cell(2, 2))
    assert grid.cell(4, 3) == 64.5
    assert cell_text(grid.cell(4, 4)) == "7"
    assert cell_address(4, 3) == "D5"
