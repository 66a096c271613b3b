"""The PAR Index trend workbook leadership opens: summary, trend, fields, targets, method (openpyxl).

Charts are native Excel charts over the tables beside them, so they render in Excel and LibreOffice
and stay true to the figures printed. Every text cell goes through `cells.put`, so text taken from
plans and reports can never run as a formula.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from pipelines.forms.extract import content
from pipelines.forms.extract.provinces_sheet import provinces_sheet
from pipelines.forms.extract.summary_sheet import summary_sheet
from pipelines.forms.extract.targets_sheets import method_sheet, targets_sheet
from pipelines.forms.extract.trend_sheets import fields_sheet, trend_sheet
from pipelines.forms.labels import title
from pipelines.forms.rows import fit_rows
from pipelines.forms.styles import (
    print_on_a4,
    save,
)


def write_workbook(trend: content.ParTrend, path: Path) -> Path:
    workbook = Workbook()
    sheets = [
        ("Tổng hợp", summary_sheet),
        ("Các tỉnh", provinces_sheet),
        ("Xu hướng", trend_sheet),
        ("Theo lĩnh vực", fields_sheet),
        ("Chỉ tiêu", targets_sheet),
        ("Phương pháp", method_sheet),
    ]
    for index, (name, fill) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        print_on_a4(sheet)
        fill(sheet, trend)
        fit_rows(sheet, line_height=14)
    workbook.properties.title = title(trend.province_name, trend.year)
    workbook.properties.creator = "cchc-warehouse"
    return save(workbook, path)
