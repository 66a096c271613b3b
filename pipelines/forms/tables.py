"""A plain table on a sheet people read: its headings in the heading style, its rows wrapped at the top
of their cells, a number format per column where one is given; a line in italics where it has no rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.cells import put
from pipelines.forms.styles import BOLD, HEADING_ALIGNMENT, HEADING_FILL, NOTE, WRAP


def write_table(
    sheet: Worksheet,
    row: int,
    headings: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    formats: Mapping[int, str] | None = None,
    empty: str = "Không có.",
) -> int:
    """Headings on `row` (1-based) from column A, then `rows` (formats: 1-based column → number format);
    the next free row."""
    for column, heading in enumerate(headings, start=1):
        cell = put(sheet.cell(row=row, column=column), heading)
        cell.font, cell.fill, cell.alignment = BOLD, HEADING_FILL, HEADING_ALIGNMENT
    row += 1
    if not rows:
        put(sheet.cell(row=row, column=1), empty).font = NOTE
        return row + 1
    for values in rows:
        for column, value in enumerate(values, start=1):
            cell = put(sheet.cell(row=row, column=column), value)
            cell.alignment = WRAP
            if formats and column in formats:
                cell.number_format = formats[column]
        row += 1
    return row
