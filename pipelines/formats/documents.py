"""Read a plan document into paragraphs and table rows, whatever format it came in.

Agencies send Markdown or plain text extracted from PDF (tables as tab-separated lines, HTML
fragments inside cells, the header repeated on every page), Word files with real tables, and PDF
(read by `pdf`). All come out as the same `Document`, NFC-normalised. Anything else is refused
with a `DocumentRejected` whose message a clerk can act on.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import docx
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from pipelines.formats.blocks import SECTION_LINE, Block, Document, DocumentRejected, Paragraph, Row, Table
from pipelines.formats.pdf import read_pdf
from pipelines.landing.files import content_hash
from pipelines.text.normalize import nfc

TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
WORD_SUFFIXES = frozenset({".docx"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | WORD_SUFFIXES | PDF_SUFFIXES
# far above any plan (the seed plans are under 200 kB of text), far below what stalls a reader
MAX_FILE_BYTES = 25_000_000
MAX_PDF_BYTES = 100_000_000  # a scan of 60 pages at 300 dpi is 10-40 MB
MAX_UNPACKED_BYTES = 250_000_000


_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/li|/div|/tr)\s*/?\s*>|<\s*li[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_BOLD_TAG = re.compile(r"<\s*(?:b|strong)\b", re.IGNORECASE)


def clean_cell(raw: str) -> str:
    """Cell or paragraph text as people read it: block tags become line breaks, other tags and
    markdown emphasis go, entities are decoded, spaces collapse within each line."""
    text = _BLOCK_TAG.sub("\n", raw)
    text = html.unescape(_TAG.sub(" ", text))
    text = _EMPHASIS.sub("", _HEADING.sub("", text))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _is_emphasised(raw: str) -> bool:
    stripped = raw.strip()
    return bool(
        _HEADING.match(stripped)
        or _BOLD_TAG.search(stripped)
        or (stripped.startswith("**") and stripped.rstrip(":").endswith("**"))
    )


def read_document(path: Path) -> Document:
    """Read a plan file. Raises DocumentRejected for formats and files that cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentRejected(
            path.name,
            f"Định dạng '{suffix or 'không có phần mở rộng'}' chưa được hỗ trợ. Hãy gửi kế hoạch dạng "
            "PDF, Word (.docx) hoặc văn bản (.md, .txt).",
        )
    limit = MAX_PDF_BYTES if suffix in PDF_SUFFIXES else MAX_FILE_BYTES
    if (size := path.stat().st_size) > limit:
        raise DocumentRejected(
            path.name,
            f"Tệp nặng {size / 1_000_000:.0f} MB, vượt giới hạn {limit // 1_000_000} MB của một kế"
            " hoạch: hãy bỏ ảnh chèn trong văn bản (hoặc scan ở 300 dpi, đen trắng) rồi gửi lại.",
        )
    data = path.read_bytes()
    if not data.strip():
        raise DocumentRejected(path.name, "Tệp rỗng: không có nội dung để đọc.")
    digest = content_hash(data)
    if suffix in PDF_SUFFIXES:
        blocks, pages = read_pdf(path)
        return Document(source=path.name, content_hash=digest, blocks=blocks, pages=pages)
    blocks = _word_blocks(path, data) if suffix in WORD_SUFFIXES else _text_blocks(path.name, data)
    return Document(source=path.name, content_hash=digest, blocks=blocks)


def _encoding(data: bytes) -> str | None:
    """UTF-8, or UTF-16 as Notepad's 'Unicode' saves it (with a byte-order mark, or without one when
    the high byte of most characters, and the low byte of none, is zero); None for a binary file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    if b"\x00" not in head:
        return "utf-8-sig"
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    if odd > pairs / 2 and even == 0:
        return "utf-16-le"
    if even > pairs / 2 and odd == 0:
        return "utf-16-be"
    return None


def _decode(source: str, data: bytes) -> str:
    encoding = _encoding(data)
    if encoding is None:
        raise DocumentRejected(
            source,
            "Tệp không phải văn bản (có thể là tệp nhị phân hoặc ảnh scan) dù mang đuôi văn bản: hãy gửi"
            " bản Word (.docx) hoặc văn bản (.md, .txt) của kế hoạch.",
        )
    try:
        return nfc(data.decode(encoding))
    except UnicodeDecodeError as error:
        raise DocumentRejected(
            source,
            f"Không đọc được mã ký tự ở byte {error.start}: hãy lưu lại tệp với bảng mã Unicode (UTF-8).",
        ) from error


def _split_row(line: str) -> list[str] | None:
    """The cells of a table line: tab-separated, or a markdown pipe row. None for a text line."""
    if "\t" in line:
        return line.split("\t")
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        if re.fullmatch(r"\|[\s:|-]+\|", stripped):
            return []  # the |---|---| rule under a markdown header
        return stripped[1:-1].split("|")
    return None


def _text_blocks(source: str, data: bytes) -> tuple[Block, ...]:
    blocks: list[Block] = []
    rows: list[Row] = []

    def close_table() -> None:
        if rows:
            blocks.append(Table(tuple(rows)))
            rows.clear()

    for number, line in enumerate(_decode(source, data).splitlines(), start=1):
        cells = _split_row(line)
        if cells == []:
            continue
        if cells is not None:
            rows.append(Row(tuple(clean_cell(c) for c in cells), number, tuple(map(_is_emphasised, cells))))
            continue
        if not line.strip():
            continue
        if rows and SECTION_LINE.match(line):
            rows.append(Row((clean_cell(line),), number, (_is_emphasised(line),)))
            continue
        close_table()
        text = " ".join(clean_cell(line).split())
        if text:
            blocks.append(Paragraph(text, number, _is_emphasised(line)))
    close_table()
    return tuple(blocks)


def _word_blocks(path: Path, data: bytes) -> tuple[Block, ...]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise DocumentRejected(
                path.name,
                f"Tệp Word giải nén ra {unpacked / 1_000_000:.0f} MB, vượt giới hạn"
                f" {MAX_UNPACKED_BYTES // 1_000_000} MB: hãy bỏ ảnh chèn trong văn bản rồi gửi lại.",
            )
        word = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentRejected(
            path.name, "Không mở được tệp Word: tệp hỏng hoặc không phải định dạng .docx."
        ) from error

    blocks: list[Block] = []
    for position, item in enumerate(word.iter_inner_content(), start=1):
        if isinstance(item, WordParagraph):
            text = " ".join(nfc(item.text).split())
            if text:
                runs = [run for run in item.runs if run.text.strip()]
                heading = item.style is not None and item.style.name.lower().startswith("heading")
                bold = bool(runs) and all(run.bold for run in runs)
                blocks.append(Paragraph(text, position, heading or bold))
        elif isinstance(item, WordTable):
            rows = [_word_row(row, position) for row in item.rows]
            if rows:
                blocks.append(Table(tuple(rows)))
    return tuple(blocks)


def _word_row(row, position: int) -> Row:  # a python-docx table row
    """A Word table row. A cell merged across columns is returned once per grid column by
    python-docx; it keeps its text in the first and is blank in the rest, as a PDF row would be."""
    cells: list[str] = []
    bold: list[bool] = []
    previous = None
    for cell in row.cells:
        if previous is not None and cell._tc is previous:
            cells.append("")
            bold.append(False)
            continue
        previous = cell._tc
        cells.append("\n".join(" ".join(nfc(p.text).split()) for p in cell.paragraphs if p.text.strip()))
        runs = [run for p in cell.paragraphs for run in p.runs if run.text.strip()]
        bold.append(bool(runs) and all(run.bold for run in runs))
    return Row(tuple(cells), position, tuple(bold))
