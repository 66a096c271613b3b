"""Workbooks as grids: positions as Excel shows them, numbers as numbers, text as NFC text."""

import unicodedata
import zipfile
from datetime import datetime

import openpyxl
import pytest

from pipelines.formats import xlsx
from pipelines.formats.workbooks import WorkbookRejected, cell_address, cell_text, read_workbook


def _edit_part(path, part: str, change) -> bytes:
    """Rewrite one part of the package at `path` as `change` makes it, as a tool other than Excel
    would have written it; the new part."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return parts[part]


def damage_sheet(path, name: str):
    """Damage the sheet `name` of the workbook at `path` as no reader can read it: a note far away, at
    row 1,048,576 (so the sheet is read cell by cell from its XML), and a tag left open in that XML;
    the path."""
    workbook = openpyxl.load_workbook(path)
    workbook[name]["J1048576"] = "ghi chú"
    workbook.save(path)
    with zipfile.ZipFile(path) as source:
        (part,) = [part for part in source.namelist() if b'r="J1048576"' in source.read(part)]
    _edit_part(path, part, lambda xml: xml.replace(b"</row>", b"</rows>", 1))
    return path


def _percent_workbook(path):
    """A workbook whose A1 holds 0.975 shown as a percentage (97.5%)."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = 0.975
    workbook.active["A1"].number_format = "0.0%"
    workbook.save(path)
    return path


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


def test_a_cell_at_row_1048576_is_read_as_one_more_row_not_a_million(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Mã chỉ tiêu"
    sheet["B2"] = 97.5
    sheet["J1048576"] = "ghi chú"
    path = tmp_path / "xa.xlsx"
    workbook.save(path)
    (grid,) = read_workbook(path).sheets
    assert list(grid.rows()) == [(0, ["Mã chỉ tiêu"]), (1, ["", 97.5]), (1048575, [""] * 9 + ["ghi chú"])]
    assert grid.cell(1048575, 9) == "ghi chú" and grid.cell(500_000, 0) == ""


def test_a_broken_sheet_with_a_cell_far_away_is_skipped_with_a_reason_and_the_rest_is_read(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Chỉ tiêu"
    workbook.active["A1"] = "Mã chỉ tiêu"
    workbook.create_sheet("Nhiệm vụ")["B2"] = "x"
    path = tmp_path / "hong.xlsx"
    workbook.save(path)
    read = read_workbook(damage_sheet(path, "Chỉ tiêu"))
    assert [(sheet.name, sheet.cells) for sheet in read.sheets] == [("Nhiệm vụ", {1: ["", "x"]})]
    assert [(sheet.name, sheet.reason) for sheet in read.skipped] == [
        ("Chỉ tiêu", "Không đọc được trang tính 'Chỉ tiêu' (trang bị hỏng): hãy lưu lại tệp bằng Excel.")
    ]


def test_formulas_cached_errors_and_percent_formats_are_told_from_one_pass(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "=1/0"
    sheet["B1"] = "=40+50"
    sheet["C1"] = 0.975
    sheet["C1"].number_format = "0.0%"
    sheet["D1"] = 0.5
    path = tmp_path / "cong-thuc.xlsx"
    workbook.save(path)
    _edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b'<c r="A1"><f>1/0</f><v></v>', b'<c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v>'
        ).replace(b"<f>40+50</f><v></v>", b"<f>40+50</f><v>90</v>"),
    )
    (grid,) = read_workbook(path).sheets
    assert grid.errors == {(0, 0): "#DIV/0!"} and grid.cell(0, 0) == ""
    assert grid.formulas == {(0, 0): "1/0", (0, 1): "40+50"} and grid.cell(0, 1) == 90.0
    assert grid.percent == {(0, 2)}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "Tệp rỗng"),
        (b"%PDF-1.7", "Tệp là PDF"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "trang web (HTML)"),
        ("Tỉnh,Điểm\nĐồng Nai,70\n".encode(), "văn bản thuần (CSV"),
        ("Tỉnh\tĐiểm\n".encode("utf-16"), "văn bản thuần (CSV"),
        (b"PK\x03\x04 cut short", "tệp bị hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "Excel cũ (.xls)"),
        # Excel's owner file (~$bao-cao.xlsx) is a few NULs and a name: once a Python UnicodeError
        (b"\x00" * 162, "tệp bị hỏng"),
    ],
)
def test_what_is_not_a_workbook_is_told_as_what_it_is(tmp_path, content, reason):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookRejected) as rejected:
        read_workbook(path)
    assert reason in rejected.value.reason
    assert "Zip" not in rejected.value.reason and "EOCD" not in rejected.value.reason


def test_a_sheet_beyond_the_row_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr("pipelines.formats.workbooks.MAX_ROWS", 50)
    workbook = openpyxl.Workbook()
    for row in range(1, 52):
        workbook.active.cell(row=row, column=1, value=row)
    path = tmp_path / "dai.xlsx"
    workbook.save(path)
    with pytest.raises(WorkbookRejected) as rejected:
        read_workbook(path)
    assert "có 51 dòng, vượt giới hạn 50 dòng" in rejected.value.reason


@pytest.mark.parametrize(
    ("far_cell", "refused"),
    [
        (b'<c r="AMJ1" s="1"/>', False),  # an empty styled cell as LibreOffice writes it
        (b'<c r="AMJ1" s="1"></c>', False),  # the same as openpyxl writes it
        (b'<c  r="AMJ1"\ts="1" t="s" ></c>', False),  # spaced out
        (b'<c r="AMJ1" s="1"><v>5</v></c>', True),  # a value: the sheet reaches column AMJ
        (b'<c r="AMJ1" t="inlineStr"><is><t>x</t></is></c>', True),
    ],
)
def test_only_cells_holding_a_value_count_against_the_column_limit(tmp_path, far_cell, refused):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Mã chỉ tiêu"
    path = tmp_path / "rong.xlsx"
    workbook.save(path)
    edited = _edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</c></row>", b"</c>" + far_cell + b"</row>", 1),
    )
    assert far_cell in edited
    if refused:
        with pytest.raises(WorkbookRejected) as rejected:
            read_workbook(path)
        assert "có dữ liệu tới cột AMJ, vượt giới hạn cột ZZ" in rejected.value.reason
    else:
        (grid,) = read_workbook(path).sheets
        assert list(grid.rows()) == [(0, ["Mã chỉ tiêu"])]


@pytest.mark.parametrize(
    ("cells", "last_column"),
    [
        (b'<c r="AB1"><v>1</v></c><c r="AA1"><v>1</v></c><c r="Z1"><v>1</v></c>', 28),
        (b'<c r="Z1"><v>1</v></c><c r="AAA1"><v>1</v></c>', 703),
        (b'<c r="B1"><v>1</v></c><c r="C1" s="1"/>', 2),  # an empty styled cell does not count
    ],
)
def test_the_sheet_facts_take_the_rightmost_column_holding_a_value(cells, last_column):
    xml = b'<worksheet><sheetData><row r="1">' + cells + b"</row></sheetData></worksheet>"
    assert xlsx._facts("xl/worksheets/sheet1.xml", xml, frozenset()).last_column == last_column


def test_a_package_with_bytes_before_it_is_still_read_with_its_facts(tmp_path):
    # calamine and zipfile both find a zip that does not start at byte 0 (a file saved by a tool that
    # writes a header first): its sheets must still be bounded and its percent cells told
    saved = _percent_workbook(tmp_path / "saved.xlsx")
    path = tmp_path / "prefixed.xlsx"
    path.write_bytes(b"MZ" + bytes(100) + saved.read_bytes())
    (grid,) = read_workbook(path).sheets
    assert grid.percent == {(0, 0)} and grid.cell(0, 0) == 0.975


def test_a_bloated_styles_part_is_read_and_not_kept(tmp_path):
    path = _percent_workbook(tmp_path / "phinh.xlsx")
    # 300 KB more in the styles part, as a workbook copied between many others gathers unused styles
    padding = b"<!-- " + b"x" * 300_000 + b" -->"
    _edit_part(path, "xl/styles.xml", lambda xml: xml.replace(b"<fonts", padding + b"<fonts"))
    kept = xlsx._styles_of.cache_info().currsize
    (grid,) = read_workbook(path).sheets
    assert grid.percent == {(0, 0)} and grid.cell(0, 0) == 0.975
    assert xlsx._styles_of.cache_info().currsize == kept  # parsed for this file, not kept


def test_a_date_cell_read_from_xml_past_the_dates_python_holds_stays_a_number():
    # Excel shows such a cell as ####; read cell by cell it raised OverflowError and stopped the run
    assert xlsx._as_date(45000.0) == datetime(2023, 3, 15)
    assert xlsx._as_date(1e10) == 1e10 and xlsx._as_date(-5.0) == -5.0
