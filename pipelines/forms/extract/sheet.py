"""Writing on an extract sheet: a row of values (scores with the decimal comma, trend arrows in
colour), tables, titles, headings and paragraphs across the page, page breaks, and how many rows a
drawing covers.

A sheet prints one A4 page wide, shrunk to fit: its columns add up to at most 124 character units (with
print_on_a4's margins LibreOffice shrinks 124 units to 88 %: 11 pt cells print at 9.7 pt, a chart's
10 pt labels at 8.8; 140 units to 78 %; a chart up to 26 cm wide needs no shrinking), and a text that
would run past the last column is a paragraph, wrapped across all of them (so a sheet sets its widths
before it writes).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence

import polars as pl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.cells import put
from pipelines.forms.labels import NOT_COMPARABLE
from pipelines.forms.styles import (
    BOLD,
    HEADING_ALIGNMENT,
    HEADING_FILL,
    TITLE,
    WRAP,
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
_TOP = Alignment(vertical="top")
_CENTRED = Alignment(horizontal="center", vertical="top", wrap_text=True)


def put_row(
    sheet: Worksheet,
    row: int,
    values: Sequence[object],
    *,
    header: bool = False,
    column: int = 1,
    wrapped: Collection[int] = (),
) -> int:
    """Write `values` from `column` on, the text of the `wrapped` columns wrapped in its column (a name or
    a sentence printed whole); returns the next row."""
    for at, value in enumerate(values, start=column):
        cell = put(sheet.cell(row=row, column=at), value)
        if header:
            cell.font = BOLD
            cell.fill = HEADING_FILL
            cell.alignment = HEADING_ALIGNMENT
        elif isinstance(value, str) and value in _TREND_WORDS:
            if value in _ARROW_FONTS:
                cell.font = _ARROW_FONTS[value]
            cell.alignment = _CENTRED
        else:
            # level with the first line of a wrapped name beside it
            cell.alignment = WRAP if at in wrapped else _TOP
            if isinstance(value, float):
                cell.number_format = _SCORE
    return row + 1


def merge_across(sheet: Worksheet, row: int, spans: Sequence[tuple[int, int]]) -> None:
    """Merge each (first, last) span of columns of `row`: one value printed across them."""
    for first, last in spans:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def put_rows(
    sheet: Worksheet, row: int, rows: Iterable[Sequence[object]], *, wrapped: Collection[int] = ()
) -> int:
    for values in rows:
        row = put_row(sheet, row, values, wrapped=wrapped)
    return row


def whole_number(value: float | None) -> int | float | None:
    """A rank or count stored as a float, shown as the whole number it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def put_paragraph(
    sheet: Worksheet, row: int, text: str, font: Font | None = None, *, last_column: int | None = None
) -> int:
    """A text across every column the sheet set a width for (or up to `last_column`: under a table with
    a chart beside it), wrapped; returns the next row."""
    cell = put(sheet.cell(row=row, column=1), text)
    cell.alignment = WRAP
    if font is not None:
        cell.font = font
    last = last_column or max(column_index_from_string(letter) for letter in sheet.column_dimensions)
    if last > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    return row + 1


def put_heading(sheet: Worksheet, row: int, text: str) -> int:
    return put_paragraph(sheet, row, text, BOLD)


def put_title(sheet: Worksheet, text: str) -> int:
    """The sheet's title in row 1; returns the next row."""
    return put_paragraph(sheet, 1, text, TITLE)


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
