"""Text that came from documents, made safe for spreadsheets (no formula injection).

A cell whose text starts with "=", "+", "-", "@" (or a tab or carriage return) is run as a formula by
spreadsheet programs when it is typed or imported. Source text does start so: plan sentences begin with
"- ", and a hostile file could carry "=HYPERLINK(…)". In a workbook such text is written as a string
with Excel's quote prefix (what typing a leading apostrophe does): shown as written, never evaluated,
still text after the cell is edited. In a CSV, which has no types, it gets a leading apostrophe.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """The CSV form of `text`: a leading apostrophe when a spreadsheet would read it as a formula."""
    return f"'{text}" if is_formula_like(text) else text


def put(cell: Cell, value: object) -> Cell:
    """Write `value` into a workbook cell; text is always text, whatever it starts with."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell
