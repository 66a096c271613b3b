"""Reading back a form the platform wrote and a person filled (review, self-assessment, appraisal): the
hidden block that says what the form is, the header row found by a label wherever rows were inserted,
the columns found by their labels wherever they were moved, a cell's text with its spaces tidied. The
reasons a form is refused are the caller's: these return what is there, or None."""

from __future__ import annotations

from pipelines.formats.workbooks import Sheet, cell_text
from pipelines.text.normalize import fold

HEADER_SEARCH_ROWS = 40  # a header below this many rows is no longer the form's


def text(sheet: Sheet, row: int, column: int) -> str:
    """A cell's text, with runs of spaces and line breaks made one space."""
    return " ".join(cell_text(sheet.cell(row, column)).split())


def meta(sheet: Sheet) -> dict[str, str]:
    """The hidden block: its first column's keys and second column's values."""
    return {text(sheet, row, 0): text(sheet, row, 1) for row, _ in sheet.rows()}


def header_row(sheet: Sheet, label: str) -> int | None:
    """The 0-based row holding a cell that reads `label` (case and accents aside), or None."""
    wanted = fold(label)
    for row, cells in sheet.rows():
        if row > HEADER_SEARCH_ROWS:
            break
        if any(fold(cell_text(cell).strip()) == wanted for cell in cells):
            return row
    return None


def columns(sheet: Sheet, header: int, names: tuple[str, ...]) -> tuple[dict[str, int], str | None]:
    """The 0-based column of each label in the header row, and the first label missing (or None)."""
    found = {fold(text(sheet, header, column)): column for column in range(sheet.width)}
    missing = next((name for name in names if fold(name) not in found), None)
    return {name: found[fold(name)] for name in names if fold(name) in found}, missing
