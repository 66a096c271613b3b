"""A PDF's pages, as positioned words and table grids, turned into paragraphs and table rows.

Both PDF readers (the text layer, and OCR of a scan) give each page as words with their boxes and
the cells of its ruled tables; this module alone decides what a paragraph is, so both read alike:

- Running headers and footers (a line in the top or bottom margin repeated on most pages, digits
  aside) and page numbers ("3", "- 3 -", "Trang 3/44") are dropped.
- Lines join into a paragraph until a wider gap, a short line (the last of its paragraph), a bullet
  or numbered line, an indented first line or a change of weight; a paragraph cut by a page break
  goes on over it. A word broken at a hyphen ("2021-" / "2030", "QĐ-" / "TTg") is joined back.
- A block of lines in two columns (issuer and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", number and
  place-and-date) is read column by column, each line its own paragraph, as the Markdown has it.
- From "Nơi nhận:" to the end of its page (the recipients and the signature) nothing is kept.
- Each table on a page is one `Table`; the appendix parser joins the fragments of a table split over
  pages (the repeated header dropped, a row cut by the page merged back), as it does for Word.
  Words in a cell wrap as the column is narrow: they are joined back into one line, but a new
  bullet ("- ", "+ ") keeps its line break; a word a too narrow column cut inside a syllable
  ("Thườn" / "g xuyên") is joined back whole.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace

from pipelines.formats.blocks import SECTION_LINE, Block, Paragraph, Row, Table
from pipelines.text.normalize import fold, nfc

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Grid = tuple[tuple[Box | None, ...], ...]  # a table's rows of cell boxes (None where a merged cell spans)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    bold: bool = False
    confidence: float | None = None  # OCR confidence 0-100; None from a text layer


@dataclass(frozen=True)
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    words: tuple[Word, ...]
    tables: tuple[Grid, ...]
    is_scan: bool = False

    @property
    def confidence(self) -> float | None:
        """Mean OCR confidence of the page's words; None for a text page or a page without words."""
        return _mean([w.confidence for w in self.words])


@dataclass
class _Line:
    words: list[Word]
    page: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


_MARGIN = 0.09  # the top and bottom share of a page where running headers, footers and numbers sit
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–(\s]*\d{1,4}(?:\s*/\s*\d{1,4})?[-–)\s]*$", re.IGNORECASE)
_NEW_ITEM = re.compile(r"^(?:[-+•–*]\s|(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s)")
_BULLET = re.compile(r"^[-+•–*]\s")
_VOWEL = re.compile(r"[aeiouy]")
_RECIPIENTS = re.compile(r"^nơi nhận\b", re.IGNORECASE)


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.fmean(present), 1) if present else None


def _lines(words: list[Word], page: int) -> list[_Line]:
    """Words grouped into lines: a word belongs to the line its vertical centre falls in."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        centre = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):
            if line.top <= centre <= line.bottom:
                line.words.append(word)
                break
        else:
            lines.append(_Line([word], page))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _segments(line: _Line) -> list[_Line]:
    """A line cut where the gap between two words is wider than three letters' height: the columns
    of a two-column block."""
    gap = 3 * max(statistics.median(w.bottom - w.top for w in line.words), 1.0)
    parts = [[line.words[0]]]
    for previous, word in zip(line.words, line.words[1:], strict=False):
        if word.x0 - previous.x1 > gap:
            parts.append([])
        parts[-1].append(word)
    return [_Line(part, line.page) for part in parts]


def _joined(left: str, right: str) -> str:
    if re.search(r"\w-$", left) and right[:1].isalnum():
        return left + right  # "2021-" + "2030", "QĐ-" + "TTg"
    return f"{left} {right}"


def _running_texts(pages: list[PageLayout]) -> set[str]:
    """Texts (digits masked) that recur in the margins of most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        texts = set()
        for line in _lines(list(page.words), page.number):
            if line.bottom < page.height * _MARGIN or line.top > page.height * (1 - _MARGIN):
                texts.add(re.sub(r"\d+", "#", line.text.lower()))
        seen.update(texts)
    return {text for text, count in seen.items() if count >= max(3, len(pages) // 2)}


def _is_margin_noise(line: _Line, page: PageLayout, running: set[str]) -> bool:
    in_margin = line.bottom < page.height * _MARGIN or line.top > page.height * (1 - _MARGIN)
    if not in_margin:
        return False
    return bool(_PAGE_NUMBER.match(line.text)) or re.sub(r"\d+", "#", line.text.lower()) in running


def _cell_index(word: Word, cells: list[tuple[int, int, Box]]) -> tuple[int, int] | None:
    return next(((row, column) for row, column, box in cells if _in_box(word, box)), None)


def _cell_text(words: list[Word], page: int) -> str:
    """The words of a cell as its author wrote them: wrapped lines joined, bullets on their own line."""
    text = ""
    lines = _lines(words, page)
    right = max(line.x1 for line in lines)
    for previous, line in zip([None, *lines], lines, strict=False):
        if previous is None:
            text = line.text
        elif _BULLET.match(line.text):
            text = f"{text}\n{line.text}"
        elif _cut_syllable(previous, line, right):
            text += line.text
        else:
            text = _joined(text, line.text)
    return nfc(text)


def _cut_syllable(line: _Line, following: _Line, right: float) -> bool:
    """True when a column too narrow for a word cut it inside a syllable ("Thườn" + "g xuyên"): the line
    reaches the cell's right edge and ends in a letter, not in capitals (an acronym, "CBCCVC" + "được"),
    the next goes on in lower case, and one of the two pieces has no vowel, which no Vietnamese
    syllable lacks."""
    head, tail = line.words[-1].text, following.words[0].text
    if right - line.x1 > line.height / 2 or not (head[-1:].isalpha() and tail[:1].islower()):
        return False
    return not head.isupper() and not (_VOWEL.search(fold(head)) and _VOWEL.search(fold(tail)))


def _table(grid: Grid, words: list[Word], page: PageLayout) -> Table | None:
    cells = [(r, c, box) for r, row in enumerate(grid) for c, box in enumerate(row) if box is not None]
    by_cell: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        index = _cell_index(word, cells)
        if index is not None:
            by_cell.setdefault(index, []).append(word)
    rows = []
    for r, row in enumerate(grid):
        texts, bold, confidence = [], [], []
        for c in range(len(row)):
            cell_words = by_cell.get((r, c), [])
            texts.append(_cell_text(cell_words, page.number) if cell_words else "")
            bold.append(bool(cell_words) and all(w.bold for w in cell_words))
            confidence.append(_mean([w.confidence for w in cell_words]))
        if any(texts):
            rows.append(
                Row(
                    tuple(texts),
                    0,
                    tuple(bold),
                    page=page.number,
                    confidence=tuple(confidence) if page.is_scan else None,
                )
            )
    return Table(tuple(rows)) if rows else None


def _in_box(word: Word, box: Box) -> bool:
    x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _bbox(grid: Grid) -> Box:
    boxes = [box for row in grid for box in row if box is not None]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _page_items(page: PageLayout, running: set[str]) -> list[_Line | Table | None]:
    """The page's lines (column blocks already put in reading order) and tables, top to bottom.
    None marks where a column block ends, so its lines are not joined with what follows."""
    grids = [grid for grid in page.tables if any(any(row) for row in grid)]
    boxes = [_bbox(grid) for grid in grids]
    free = [w for w in page.words if not any(_in_box(w, box) for box in boxes)]
    placed: list[tuple[float, int, _Line | Table | None]] = []
    for box, grid in zip(boxes, grids, strict=True):
        table = _table(grid, [w for w in page.words if _in_box(w, box)], page)
        if table is not None:
            placed.append((box[1], 1, table))
    lines = [line for line in _lines(free, page.number) if not _is_margin_noise(line, page, running)]
    for top, order, item in _reading_order(lines, page.width):
        placed.append((top, order, item))
    placed.sort(key=lambda item: (item[0], item[1]))
    return [item for _, _, item in placed]


def _reading_order(lines: list[_Line], width: float) -> list[tuple[float, int, _Line | None]]:
    """Lines in reading order: a run of lines in two columns is given left column first."""
    centre = width / 2
    out: list[tuple[float, int, _Line | None]] = []
    index = 0
    while index < len(lines):
        segments = _segments(lines[index])
        in_halves = all(s.x1 < centre or s.x0 > centre for s in segments)
        if len(segments) < 2 or not in_halves or not (segments[0].x1 < centre < segments[-1].x0):
            out.append((lines[index].top, 0, lines[index]))
            index += 1
            continue
        left: list[_Line] = []
        right: list[_Line] = []
        top = lines[index].top
        while index < len(lines):
            segments = _segments(lines[index])
            halves = [s for s in segments if s.x1 < centre or s.x0 > centre]
            if len(halves) != len(segments):
                break  # a line across the middle: the column block is over
            if left + right and lines[index].top - lines[index - 1].bottom > 1.5 * lines[index - 1].height:
                break  # a wider gap: what follows is the body
            for segment in segments:
                (left if segment.x1 < centre else right).append(segment)
            index += 1
        for number, line in enumerate(left + right):
            out.append((top + number * 1e-3, 0, line))
            out.append((top + number * 1e-3, 0, None))
    return out


def _line_confidence(line: _Line, page: PageLayout) -> tuple[float | None, ...] | None:
    return (_mean([w.confidence for w in line.words]),) if page.is_scan else None


def _starts_paragraph(previous: _Line, line: _Line, left: float, right: float) -> bool:
    height = max(previous.height, 1.0)
    if previous.page != line.page:
        full = previous.x1 >= right - 0.1 * (right - left)
        return not full or bool(_NEW_ITEM.match(line.text)) or line.x0 > left + height
    return (
        line.top - previous.bottom > 0.6 * height
        or previous.x1 < right - 0.1 * (right - left)
        or bool(_NEW_ITEM.match(line.text))
        or line.x0 > previous.x0 + height
        or previous.bold != line.bold
    )


def to_blocks(pages: list[PageLayout]) -> tuple[Block, ...]:
    """The document's paragraphs and tables in reading order. `line` numbers the blocks' lines and rows
    from 1 through the document; `page` says where each was read."""
    running = _running_texts(pages)
    blocks: list[Block] = []
    paragraph: list[_Line] = []
    counter = 0

    def close() -> None:
        nonlocal counter
        if paragraph:
            text = paragraph[0].text
            for line in paragraph[1:]:
                text = _joined(text, line.text)
            counter += 1
            words = [w for line in paragraph for w in line.words]
            blocks.append(
                Paragraph(
                    nfc(" ".join(text.split())),
                    counter,
                    all(line.bold for line in paragraph),
                    page=paragraph[0].page,
                    confidence=_mean([w.confidence for w in words]),
                    figures=tuple(
                        (w.text, w.confidence)
                        for w in words
                        if w.confidence is not None and any(ch.isdigit() for ch in w.text)
                    ),
                )
            )
            paragraph.clear()

    for page in pages:
        left = min((w.x0 for w in page.words), default=0.0)
        right = max((w.x1 for w in page.words), default=page.width)
        recipients = False
        for item in _page_items(page, running):
            if item is None:
                close()
            elif isinstance(item, Table):
                close()
                blocks.append(
                    Table(tuple(replace(row, line=counter + n) for n, row in enumerate(item.rows, 1)))
                )
                counter += len(item.rows)
            elif recipients or _RECIPIENTS.match(item.text):
                recipients = True  # the recipients and the signature, to the end of the page
            elif not paragraph and blocks and isinstance(blocks[-1], Table) and SECTION_LINE.match(item.text):
                counter += 1
                row = Row((nfc(item.text),), counter, (item.bold,), item.page, _line_confidence(item, page))
                blocks[-1] = Table((*blocks[-1].rows, row))
            else:
                if paragraph and _starts_paragraph(paragraph[-1], item, left, right):
                    close()
                paragraph.append(item)
        if recipients:
            close()
    close()
    return tuple(blocks)
