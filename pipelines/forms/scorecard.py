"""An agency's scorecard of the scoring round (phiếu kết quả): its official index and rank, what it
claimed and what was appraised, and every criterion where it lost points with why (the council's reason,
the data's basis, what was wrong with its proof): its to-do list for next year. One A4 page, portrait.
The rows come from `pipelines.extracts.round_results`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import openpyxl

from pipelines.forms.cells import put
from pipelines.forms.rows import fit_rows
from pipelines.forms.styles import BOLD, TITLE, WRAP, print_on_a4, save, set_widths
from pipelines.forms.tables import write_table

SHEET = "Kết quả"
LOST_COLUMNS = (
    ("Mã", 6),
    ("Tiêu chí", 30),
    ("Tối đa", 7),
    ("Đạt", 7),
    ("Mất", 7),
    ("Vì sao, việc cần làm", 40),
)
POINTS = "0.00"


def write_scorecard(
    path: Path,
    title: str,
    facts: Sequence[tuple[str, str]],
    lost: Sequence[Sequence[object]],
    today: datetime,
) -> Path:
    """Write the scorecard: its facts (label, value), then the criteria where points were lost (code,
    criterion, maximum, points, lost, why), most lost first."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    set_widths(sheet, [width for _, width in LOST_COLUMNS])
    put(sheet["A1"], title).font = TITLE
    put(sheet["A2"], f"Lập ngày {today:%d/%m/%Y} từ kho dữ liệu đã công bố.")
    row = 4
    for label, value in facts:
        put(sheet.cell(row=row, column=1), label).font = BOLD
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        put(sheet.cell(row=row, column=3), value).alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=len(LOST_COLUMNS))
        row += 1
    put(sheet.cell(row=row + 1, column=1), "Điểm bị mất và lý do – việc cần làm năm sau").font = BOLD
    write_table(
        sheet,
        row + 2,
        [name for name, _ in LOST_COLUMNS],
        lost,
        formats={3: POINTS, 4: POINTS, 5: POINTS},
        empty="Không mất điểm nào.",
    )
    fit_rows(sheet, first_row=2)
    print_on_a4(sheet, landscape=False)
    return save(workbook, path)
