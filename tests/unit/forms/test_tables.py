"""A plain table: headings in the heading style, rows wrapped with their number formats, a note where there
are no rows; the next free row is returned."""

from __future__ import annotations

import openpyxl

from pipelines.forms.styles import HEADING_FILL
from pipelines.forms.tables import write_table


def test_headings_rows_and_formats():
    sheet = openpyxl.Workbook().active
    after = write_table(sheet, 3, ["Mã", "Điểm"], [["1.1", 0.5], ["=1+1", 2]], formats={2: "0.00"})
    assert after == 6
    assert sheet["A3"].value == "Mã" and sheet["A3"].fill.fgColor.rgb == HEADING_FILL.fgColor.rgb
    assert sheet["B4"].number_format == "0.00" and sheet["A4"].number_format == "General"
    assert sheet["A5"].value == "=1+1" and sheet["A5"].data_type == "s"  # text, never a formula


def test_no_rows_leave_a_note():
    sheet = openpyxl.Workbook().active
    assert write_table(sheet, 1, ["Mã"], [], empty="Không mất điểm nào.") == 3
    assert sheet["A2"].value == "Không mất điểm nào." and sheet["A2"].font.italic
