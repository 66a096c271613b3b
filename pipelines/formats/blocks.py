"""What every plan reader produces: a document as paragraphs and table rows, in reading order.

Markdown, plain text, Word and PDF (with a text layer or scanned) all come out as the same `Document`,
so one set of parsers (metadata, targets, appendix) reads them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A section row printed as a line of its own between the rows of an appendix table, outside its cells
# ("IV. Xây dựng đội ngũ…"): every reader keeps it with the table.
SECTION_LINE = re.compile(r"^\s*(?:\*\*)?\s*[IVX]{1,4}\s*[.)]?\s+\S")


class DocumentRejected(Exception):
    """A document the pipeline cannot read. `reason` is Vietnamese, for the clerk who sent it."""

    def __init__(self, source: str, reason: str, *, detail: str | None = None) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
        self.detail = detail  # what the engineer reads in the log, in English, when it says more


# OCR confidence (0-100, mean over the words) under which a value or deadline read from a scan is
# flagged `is_low_confidence` for a person to check against the page.
LOW_CONFIDENCE = 85.0


def is_low_confidence(confidence: float | None) -> bool:
    return confidence is not None and confidence < LOW_CONFIDENCE


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass(frozen=True)
class Paragraph:
    text: str  # tags and markdown emphasis removed, one line
    line: int  # 1-based line (text files) or body position (Word files)
    is_emphasised: bool = False  # a markdown heading, or bold throughout
    page: int | None = None  # the PDF page it was read from
    confidence: float | None = None  # mean OCR word confidence (0-100) of a scanned page; None for text
    # a scanned page's words that hold digits, with their own OCR confidence: a misread figure in an
    # otherwise clear paragraph shows here, not in the mean
    figures: tuple[tuple[str, float], ...] = ()

    def value_confidence(self, value_text: str) -> float | None:
        """The lowest OCR confidence of the words that spell the value's digits; None when no word does
        (a text page, or a value written without digits)."""
        wanted = _digits(value_text)
        found = [confidence for word, confidence in self.figures if wanted and wanted in _digits(word)]
        return min(found, default=None)


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]  # cleaned cell texts; a cell may hold several lines
    line: int
    emphasised: tuple[bool, ...]  # per cell: bold or a markdown heading
    page: int | None = None
    confidence: tuple[float | None, ...] | None = None  # per cell, for a scanned page


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]

    @property
    def line(self) -> int:
        return self.rows[0].line


Block = Paragraph | Table


@dataclass(frozen=True)
class PageReading:
    """How one PDF page was read: from its text layer, or by OCR with its mean word confidence."""

    number: int
    kind: str  # text, scan
    confidence: float | None


@dataclass(frozen=True)
class Document:
    source: str  # file name as received
    content_hash: str  # sha256 of the bytes as received
    blocks: tuple[Block, ...]
    pages: tuple[PageReading, ...] = ()  # PDF only

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))
