"""Pages of a PDF that has a text layer (printed from the e-office system), read with pdfplumber.

pdfplumber (MIT, pure Python on pdfminer.six) gives each character with its box and font, and finds
table cells from the ruling lines the way people drew them, landscape pages included. Parsing a page
costs about 50 ms, in Python: a long plan is read in several processes (`pdf.read_pdf`).
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from pipelines.plans.pdf_layout import Box, PageLayout, Word

_TABLES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return "bold" in name or "black" in name or name.endswith((",b", "-b"))


def has_no_pages(path: Path) -> bool:
    """True for a well-formed PDF whose page tree is empty (pdfminer reads what pdfium refuses)."""
    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages) == 0
    except Exception:
        return False


def text_pages(path: Path, numbers: list[int]) -> list[PageLayout]:
    """The given pages (1-based) as positioned words and table grids."""
    layouts = []
    with pdfplumber.open(path) as pdf:
        for number in numbers:
            page = pdf.pages[number - 1]
            words = tuple(
                Word(
                    w["text"],
                    float(w["x0"]),
                    float(w["top"]),
                    float(w["x1"]),
                    float(w["bottom"]),
                    bold=all(_is_bold(c["fontname"]) for c in w["chars"]),
                )
                for w in page.extract_words(return_chars=True)
            )
            tables: list[tuple[tuple[Box | None, ...], ...]] = [
                tuple(tuple(row.cells) for row in table.rows) for table in page.find_tables(_TABLES)
            ]
            layouts.append(PageLayout(number, float(page.width), float(page.height), words, tuple(tables)))
            page.close()
    return layouts
