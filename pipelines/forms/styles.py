"""The look every workbook people read shares: the fonts, fills and alignments of titles, headings and
wrapped text, the A4 print setup, and saving so that a reader never opens a half-written file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
NOTE = Font(italic=True, size=10)  # a line saying how to read the table above it
HEADING_FILL = PatternFill("solid", fgColor="DDEBF7")  # a table's column headings
HEADING_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
WRAP = Alignment(wrap_text=True, vertical="top")
# a cell a person fills in a form, left unlocked when the sheet is protected; a thin frame around it
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
UNLOCKED = Protection(locked=False)
_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def set_widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    """Column widths from column A on, in Excel's character units."""
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def print_on_a4(sheet: Worksheet, *, landscape: bool = True) -> None:
    """Print on A4, as wide as the page and as many pages long as the rows need, with the narrow
    margins (1.3 cm) that leave the type larger."""
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.5, bottom=0.5, header=0.25, footer=0.25)
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def save(workbook: Workbook, path: Path) -> Path:
    """Write the workbook beside `path` and move it into place: a reader opens the old file or the new
    one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp")
    workbook.save(staging)
    staging.replace(path)
    return path
