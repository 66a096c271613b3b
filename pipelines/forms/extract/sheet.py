"""Writing on an extract sheet: a row of values (scores with the decimal comma, trend arrows in
colour), tables, headings, page breaks, and how many rows a drawing covers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import polars as pl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.cells import put
from pipelines.forms.labels import NOT_COMPARABLE
from pipelines.forms.styles import (
    BOLD,
    HEADING_ALIGNMENT,
    HEADING_FILL,
)

_ARROW_FONTS = {
    "▲": Font(bold=True, color="1E7B34"),
    "▼": Font(bold=True, color="C00000"),
    "►": Font(bold=True, color="7F7F7F"),
}
_TREND_WORDS = {*_ARROW_FONTS, "mới", NOT_COMPARABLE}
# two decimals with the Vietnamese decimal comma (58,10): LibreOffice follows the format's locale,
# Excel the reader's system (a Vietnamese Windows shows the comma too)
_SCORE = "[$-42A]0.00"
_POINTS_PER_CM = 28.35


def put_row(
    sheet: Worksheet, row: int, values: Sequence[object], *, header: bool = False, column: int = 1
) -> int:
    """Write `values` from `column` on; returns the next row."""
    for at, value in enumerate(values, start=column):
        cell = put(sheet.cell(row=row, column=at), value)
        if header:
            cell.font = BOLD
            cell.fill = HEADING_FILL
            cell.alignment = HEADING_ALIGNMENT
        elif isinstance(value, float):
            cell.number_format = _SCORE
        elif isinstance(value, str) and value in _TREND_WORDS:
            if value in _ARROW_FONTS:
                cell.font = _ARROW_FONTS[value]
            cell.alignment = Alignment(horizontal="center")
    return row + 1


def put_rows(sheet: Worksheet, row: int, rows: Iterable[Sequence[object]]) -> int:
    for values in rows:
        row = put_row(sheet, row, values)
    return row


def whole_number(value: float | None) -> int | float | None:
    """A rank or count stored as a float, shown as the whole number it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def put_heading(sheet: Worksheet, row: int, text: str) -> int:
    put(sheet.cell(row=row, column=1), text).font = BOLD
    return row + 1


def put_table(sheet: Worksheet, row: int, frame: pl.DataFrame, first_header: str) -> tuple[int, int]:
    """Write a year × series table with its header; returns (header row, last row)."""
    header = row
    row = put_row(sheet, row, [first_header, *frame.columns[1:]], header=True)
    row = put_rows(sheet, row, frame.iter_rows())
    return header, row - 1


def new_page(sheet: Worksheet, row: int) -> int:
    """Print from `row` on a new page (a manual break after the row above); returns `row`."""
    sheet.row_breaks.append(Break(id=row - 1))
    return row


def rows_under(height_cm: float) -> int:
    """Sheet rows of the default height (15 pt) a chart `height_cm` tall anchored at a row covers."""
    return math.ceil(height_cm * _POINTS_PER_CM / 15) + 1
