"""Pages of a PDF that has a text layer (printed from the e-office system), read with pdfium.

pdfium (through pypdfium2, which pdfplumber itself uses) gives every character with its box and
weight and every drawn path, in C: about 1 ms a page where pdfminer, under pdfplumber, takes 50 ms
in Python. Characters are put in reading order by position, not by the order they were drawn (a
Vietnamese letter from another font subset is often drawn after its line), and grouped into words
at the gaps; the ruling lines become table cells with pdfplumber's table algorithm (`pdf_grid`).
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.formats import pdf_grid
from pipelines.formats.pdf_layout import PageLayout, Word

_BOLD_WEIGHT = 600
_THIN = 3.0  # points: a path no thicker than this is a ruling line
_SNAP = 3.0  # points: ruling lines this close are one line
# pdfium reports a hyphen that ends a line ("QĐ-" + "TTg" in a narrow cell) as U+0002
_LINE_END_HYPHEN = 0x02


def _characters(page: pdfium.PdfPage, height: float) -> list[tuple[str, float, float, float, float, bool]]:
    """Every visible character: text, x0, top, x1, bottom (top-left origin), bold."""
    textpage = page.get_textpage()
    try:
        found = []
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
            if (
                code in (0, 0xFFFE)
                or chr(code).isspace()
                or pdfium_c.FPDFText_IsGenerated(textpage.raw, index)
            ):
                continue
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
            bold = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index) >= _BOLD_WEIGHT
            text = "-" if code == _LINE_END_HYPHEN else chr(code)
            found.append((text, left, height - top, right, height - bottom, bold))
        return found
    finally:
        textpage.close()


def _words(characters: list[tuple[str, float, float, float, float, bool]]) -> list[Word]:
    """Characters grouped into lines by their vertical centre, then into words where the gap to the
    next character is wider than a tenth of the line's height (a space is about a fifth)."""
    lines: list[list[tuple[str, float, float, float, float, bool]]] = []
    for char in sorted(characters, key=lambda c: (c[2], c[1])):
        centre = (char[2] + char[4]) / 2
        for line in reversed(lines[-4:]):
            if line[0][2] <= centre <= line[0][4]:
                line.append(char)
                break
        else:
            lines.append([char])
    words = []
    for line in lines:
        line.sort(key=lambda c: c[1])
        gap = 0.1 * (line[0][4] - line[0][2])
        current = [line[0]]
        for char in line[1:]:
            if char[1] - current[-1][3] > gap:
                words.append(_word(current))
                current = []
            current.append(char)
        words.append(_word(current))
    return words


def _word(chars: list[tuple[str, float, float, float, float, bool]]) -> Word:
    return Word(
        "".join(c[0] for c in chars),
        min(c[1] for c in chars),
        min(c[2] for c in chars),
        max(c[3] for c in chars),
        max(c[4] for c in chars),
        bold=all(c[5] for c in chars),
    )


def _edges(page: pdfium.PdfPage, height: float) -> list[dict]:
    """Ruling lines: thin paths as lines, other paths (a cell drawn as a rectangle) as their four sides."""
    edges = []
    for path in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = path.get_bounds()
        x0, x1, y0, y1 = left, right, height - top, height - bottom
        if y1 - y0 <= _THIN and x1 - x0 > _THIN:
            edges.append(pdf_grid.horizontal(x0, x1, (y0 + y1) / 2))
        elif x1 - x0 <= _THIN and y1 - y0 > _THIN:
            edges.append(pdf_grid.vertical((x0 + x1) / 2, y0, y1))
        elif x1 - x0 > _THIN and y1 - y0 > _THIN:
            edges += [
                pdf_grid.horizontal(x0, x1, y0),
                pdf_grid.horizontal(x0, x1, y1),
                pdf_grid.vertical(x0, y0, y1),
                pdf_grid.vertical(x1, y0, y1),
            ]
    return edges


def text_page(page: pdfium.PdfPage, number: int) -> PageLayout:
    """One page (1-based `number`) as positioned words and table grids, in points from the top left."""
    width, height = page.get_size()
    words = tuple(_words(_characters(page, height)))
    return PageLayout(number, width, height, words, pdf_grid.grids(_edges(page, height), _SNAP))
