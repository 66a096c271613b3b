"""The feedback workbook of one report file (phiếu phản hồi): what became of it (received when, counted or
not and why, Sở Nội vụ's decision and reason) and every finding with its sheet, cell, what was typed and
what to do, printed whole on A4 landscape. The rows come from `pipelines.extracts.feedback`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

from pipelines.forms.cells import put
from pipelines.forms.rows import fit_rows
from pipelines.forms.styles import BOLD, HEADING_FILL, TITLE, WRAP, print_on_a4, save, set_widths

SHEET = "Phản hồi"
TITLE_TEXT = "Phiếu phản hồi báo cáo cải cách hành chính"
SELF_ASSESSMENT_TITLE = "Phiếu phản hồi hồ sơ tự đánh giá Chỉ số cải cách hành chính"
NO_FINDINGS = "Không có điểm nào cần sửa."
COLUMNS = (
    ("STT", 5),
    ("Loại", 12),
    ("Trang", 14),
    ("Ô", 7),
    ("Đã nhập", 16),
    ("Vấn đề", 46),
    ("Cần làm", 30),
)
_LABEL_SPAN, _LAST = 2, len(COLUMNS)  # a fact's label across A:B, its value across C:G

# (kind, sheet, cell, typed, message, what to do)
FindingRow = tuple[str, str | None, str | None, str | None, str, str]


def write_feedback_workbook(
    path: Path,
    facts: Sequence[tuple[str, str]],
    findings: Sequence[FindingRow],
    today: datetime,
    title: str = TITLE_TEXT,
) -> Path:
    """Write the workbook: the facts of the submission (label, value), then the findings table."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    put(sheet["A1"], title).font = TITLE
    put(sheet["A2"], f"Lập ngày {today:%d/%m/%Y %H:%M} từ kho dữ liệu đã công bố.")
    row = 4
    for label, value in facts:
        put(sheet.cell(row=row, column=1), label).font = BOLD
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=_LABEL_SPAN)
        put(sheet.cell(row=row, column=_LABEL_SPAN + 1), value).alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=_LABEL_SPAN + 1, end_row=row, end_column=_LAST)
        row += 1
    header = row + 1
    for column, (name, _) in enumerate(COLUMNS, start=1):
        cell = put(sheet.cell(row=header, column=column), name)
        cell.font, cell.fill = BOLD, HEADING_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    if not findings:
        put(sheet.cell(row=header + 1, column=1), NO_FINDINGS)
    for number, finding in enumerate(findings, start=1):
        for column, value in enumerate((number, *finding), start=1):
            put(sheet.cell(row=header + number, column=column), value).alignment = WRAP
    set_widths(sheet, [width for _, width in COLUMNS])
    sheet.print_title_rows = f"{header}:{header}"
    fit_rows(sheet, first_row=4)
    print_on_a4(sheet)
    return save(workbook, path)
