"""Every workbook prints on A4 as wide as the page, and a reader never opens half a file."""

import openpyxl

from pipelines.forms.styles import print_on_a4, save, set_widths


def test_a_sheet_prints_on_a4_one_page_wide(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    print_on_a4(sheet, landscape=False)
    set_widths(sheet, [5, 48])
    path = save(workbook, tmp_path / "out" / "danh-sach.xlsx")
    assert [p.name for p in path.parent.iterdir()] == ["danh-sach.xlsx"]  # no staging file left
    read = openpyxl.load_workbook(path).active
    assert read.page_setup.orientation == "portrait"
    assert int(read.page_setup.paperSize) == 9  # A4 in Excel's paper size codes
    assert (read.page_setup.fitToWidth, read.page_setup.fitToHeight) == (1, 0)
    assert read.sheet_properties.pageSetUpPr.fitToPage
    assert (read.page_margins.left, read.page_margins.top) == (0.5, 0.5)  # inches: 1.3 cm
    assert (read.column_dimensions["A"].width, read.column_dimensions["B"].width) == (5, 48)


def test_saving_again_replaces_the_file_whole(tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    first = openpyxl.Workbook()
    first.active["A1"] = "cũ"
    save(first, path)
    second = openpyxl.Workbook()
    second.active["A1"] = "mới"
    save(second, path)
    assert openpyxl.load_workbook(path).active["A1"].value == "mới"
