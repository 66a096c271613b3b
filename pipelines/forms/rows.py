"""How many lines a text takes when a spreadsheet wraps it in a column of a given width.

Excel and LibreOffice keep the height a writer gives a row: a row sized for one line cuts a long task
or label after its first line. Wrapping is by words, as the programs do, with the width in Excel's
character units (Calibri 11 fits about 1.1-1.5 characters of lower-case text in one).
"""

from __future__ import annotations

import re

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

_PIECES = re.compile(r"[^/-]*[/-]|[^/-]+")


def wrapped_lines(text: str, width: float) -> int:
    """Lines `text` needs in a wrapped cell `width` characters wide; its own line breaks count."""
    capacity = max(width * 1.1, 4)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split():
            # a line may also break after "/" or "-" in a word (a file's path); a piece longer than the
            # line is broken where it reaches the edge
            for index, piece in enumerate(_PIECES.findall(word)):
                gap = 1 if used and not index else 0
                if used and used + gap + len(piece) > capacity:
                    lines, used, gap = lines + 1, 0.0, 0
                used += gap + len(piece)
                while used > capacity:
                    lines, used = lines + 1, used - capacity
        total += lines
    return max(total, 1)


def fit_rows(sheet: Worksheet, first_row: int = 1, line_height: float = 15.0) -> None:
    """Give every row from `first_row` with wrapped text the height its lines need, so nothing is cut
    or runs into the row below when the sheet is printed or opened by another program. A hidden column
    shows nothing; a merged cell wraps in the width of its columns."""
    widths = {
        column: 0.0 if dimension.hidden else (dimension.width or 8.43)
        for column in range(1, sheet.max_column + 1)
        for dimension in [sheet.column_dimensions[get_column_letter(column)]]
    }
    merged = {(cells.min_row, cells.min_col): cells for cells in sheet.merged_cells.ranges}
    for row in sheet.iter_rows(min_row=first_row):
        needed, tallest = 1.0, 1.0
        for cell in row:
            if not (isinstance(cell.value, str) and cell.alignment.wrap_text and widths[cell.column]):
                continue
            span = merged.get((cell.row, cell.column))
            columns = range(span.min_col, span.max_col + 1) if span else [cell.column]
            # type larger than the sheet's 11 pt (a title) fits fewer characters and takes taller lines
            scale = (cell.font.sz or 11) / 11 * (1.1 if cell.font.b else 1)
            lines = wrapped_lines(cell.value, sum(widths[column] for column in columns) / scale)
            needed, tallest = max(needed, lines * max(scale, 1)), max(tallest, scale)
        if needed > 1 or tallest > 1:
            sheet.row_dimensions[row[0].row].height = line_height * needed + 2
