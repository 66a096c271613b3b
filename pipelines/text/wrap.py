"""How many lines a text takes when a spreadsheet wraps it in a column of a given width.

Excel and LibreOffice keep the height a writer gives a row: a row sized for one line cuts a long task
or label after its first line. Wrapping is by words, as the programs do, with the width in Excel's
character units (Calibri 11 fits about 1.1-1.5 characters of lower-case text in one).
"""

from __future__ import annotations


def wrapped_lines(text: str, width: float) -> int:
    """Lines `text` needs in a wrapped cell `width` characters wide; its own line breaks count."""
    capacity = max(width * 1.1, 4)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split():
            # a word longer than the line is broken where it reaches the edge
            if used and used + 1 + len(word) > capacity:
                lines, used = lines + 1, 0.0
            used += (1 if used else 0) + len(word)
            while used > capacity:
                lines, used = lines + 1, used - capacity
        total += lines
    return max(total, 1)
