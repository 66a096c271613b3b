"""A cell of a narrow column, as a printer wraps it: lines joined back into the words the author typed.
Each case is one cell of a small ruled table, its words placed by hand as a printer places them."""

import pytest

from pipelines.formats.blocks import Table
from pipelines.formats.pdf_layout import PageLayout, Word, to_blocks

LEFT, RIGHT = 10.0, 60.0  # the narrow cell; the words of a full line end at 58


def cell_read(*lines: list[tuple[str, float]]) -> str:
    """The text read from a narrow cell whose lines hold these words (text, width in points)."""
    words = []
    for number, line in enumerate(lines):
        x, top = LEFT + 2, 12.0 + 12 * number
        for text, width in line:
            words.append(Word(text, x, top, x + width, top + 10))
            x += width + 3
    grid = ((((LEFT, 10.0, RIGHT, 100.0)), (RIGHT, 10.0, 200.0, 100.0)),)
    page = PageLayout(1, 595.0, 842.0, (*words, Word("x", 70, 12, 76, 22)), (grid,))
    (table,) = [block for block in to_blocks([page]) if isinstance(block, Table)]
    return table.rows[0].cells[0]


@pytest.mark.parametrize(
    ("lines", "typed"),
    [
        ([[("Thườn", 46)], [("g", 6), ("xuyên", 28)]], "Thường xuyên"),  # a syllable cut in two
        ([[("Thường", 30)], [("xuyên", 28)]], "Thường xuyên"),  # a word wrapped whole, short of the edge
        ([[("CBCCVC", 46)], [("được", 24)]], "CBCCVC được"),  # an acronym at the edge: two words
        ([[("năm", 20), ("2020", 23)], [("và", 12)]], "năm 2020 và"),
        ([[("QĐ-", 20)], [("TTg", 18)]], "QĐ-TTg"),  # a symbol cut at its hyphen
    ],
)
def test_a_narrow_cell_reads_as_typed(lines, typed):
    assert cell_read(*lines) == typed
