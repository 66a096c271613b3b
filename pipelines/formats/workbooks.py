"""Excel workbooks as sparse grids of cells: numbers stay numbers, everything else is NFC text.

An .xlsx (or .xlsm) is read by the compiled worksheet scanner (_sheet_xml.c): one pass over each wanted
sheet's XML gives its values, formulas, cached errors and percentages, without a grid, the package
unzipped once. It gives what python-calamine gives, and where it meets a form it does not know it
declines and calamine reads the workbook (as it reads every .xls and .ods). A sheet keeps only its used
rows, each at the row and column a clerk sees (from A1), so a stray cell at row 1,048,576 costs one
row, not a million. Before calamine builds a sheet, the .xlsx package is checked against the limits
below (xlsx.py): a file too large, or a sheet too long or too wide, is rejected with a reason instead of
stalling or exhausting the reader, and a sheet whose grid would be huge for a few cells (a stray cell
at row 1,048,576) is read cell by cell from its XML instead. The same pass tells which cells are
formulas, cached errors or percentages, so no second reader opens the file.

A sheet calamine cannot decode is read again with openpyxl (.xlsx only); a sheet neither can read
is skipped and named, and the rest of the workbook still loads. A file that cannot be opened at all
raises WorkbookRejected with a reason a clerk can act on, in Vietnamese; the library's own words go to
the log.
"""

from __future__ import annotations

import codecs
import io
import logging
import math
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from pipelines.formats import _sheet_xml, xlsx
from pipelines.landing.files import Received
from pipelines.text.normalize import fold, nfc

log = logging.getLogger(__name__)

Cell = str | float

SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
OPENPYXL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ZIP_SIGNATURE = b"PK\x03\x04"

# Limits far above any report, plan appendix or index workbook, far below what stalls a reader.
MAX_FILE_BYTES = 25_000_000
MAX_UNPACKED_BYTES = 250_000_000
MAX_ROWS = 100_000  # used rows of one sheet
MAX_COLUMNS = 702  # A … ZZ
MAX_CELLS = 2_000_000  # holding a value, in one sheet
# a sheet whose grid (A1 to its last used cell) is larger, and mostly empty, is read cell by cell from
# its XML rather than as calamine's dense grid; a .xls or .ods sheet that large is refused
SPARSE_GRID_CELLS = 250_000
MAX_GRID_CELLS = 2_000_000


class WorkbookRejected(Exception):
    """A workbook that cannot be read; `reason` is written for the clerk who sent it."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class Sheet:
    """A sheet's used rows (0-based row → its cells from column A; rows in order; text NFC and stripped of
    white space at its ends, whichever reader read it) and, for .xlsx, the cells to look at twice:
    formulas (their text) and cached errors (#DIV/0!…) as the XML has them, and percent formats."""

    name: str
    cells: dict[int, list[Cell]]
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    percent: frozenset[tuple[int, int]] = frozenset()

    def cell(self, row: int, column: int) -> Cell:
        cells = self.cells.get(row, ())
        return cells[column] if column < len(cells) else ""

    def rows(self, start: int = 0) -> Iterator[tuple[int, list[Cell]]]:
        """The used rows from row `start` on, with their row numbers, in order."""
        return ((row, cells) for row, cells in self.cells.items() if row >= start)

    @property
    def width(self) -> int:
        return max((len(cells) for cells in self.cells.values()), default=0)


@dataclass(frozen=True)
class SkippedSheet:
    name: str
    reason: str


@dataclass(frozen=True)
class Workbook:
    source: str
    sheets: list[Sheet]
    skipped: list[SkippedSheet] = field(default_factory=list)

    def damaged(self, name: str) -> str | None:
        """Why the sheet `name` was skipped: it is in the file but no reader could read it (a reader
        says so rather than that the sheet is missing). None when it was read or is not in the file."""
        return next((sheet.reason for sheet in self.skipped if sheet.name == name), None)


def cell_address(row: int, column: int) -> str:
    """Zero-based (row, column) → the address a clerk sees in Excel: (11, 1) → 'B12'."""
    return f"{column_letter(column)}{row + 1}"


def column_letter(column: int) -> str:
    """Zero-based column → its letters in Excel: 1 → 'B' (a column's cells addressed in a loop)."""
    return get_column_letter(column + 1)


def cell_text(value: Cell) -> str:
    """A cell as text: numbers without a spurious '.0'."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def _label_key(text: str) -> str:
    return " ".join(fold(text).replace(":", " ").split())


def labelled(sheet: Sheet, label: str, before_row: int, *, span: int = 1) -> tuple[str | None, str | None]:
    """What a form's clerk typed for a label above a table ("Người xem xét:"), wherever rows were
    inserted above it: the text after the colon in the label's own cell, else the first of the three
    cells right of it that holds text; and the address of the cell after the label's `span` columns (a
    label merged across two leaves room for the answer in the third). (None, None) when no cell above
    row `before_row` (0-based) starts with it."""
    wanted = _label_key(label)
    for row, cells in sheet.rows():
        if row >= before_row:
            break
        for column, cell in enumerate(cells):
            text = " ".join(cell_text(cell).split())
            if not _label_key(text).startswith(wanted):
                continue
            after = text.split(":", 1)[1].strip() if ":" in text else ""
            typed = (
                " ".join(cell_text(sheet.cell(row, right)).split()) for right in range(column + 1, column + 4)
            )
            return after or next((value for value in typed if value), None), cell_address(row, column + span)
    return None, None


def _cell(value: object) -> Cell:
    if value.__class__ is str:  # most cells: ASCII needs no normalising
        return value.strip() if value.isascii() else nfc(value).strip()
    if value.__class__ is float:  # the next most: numbers as calamine reads them
        return value if math.isfinite(value) else str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else str(value)  # NaN or infinity is text, never a number
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return nfc(str(value)).strip()


def _text_cell(text: str) -> Cell:
    """Text as a cell (a shared string, or inline text not all ASCII): a short one cached, for a
    template's labels are the same strings in every file; a long one not, so that a process reading
    file after file keeps no more than a few megabytes of them."""
    return _short_text_cell(text) if len(text) <= 200 else _cell(text)


@lru_cache(maxsize=8192)
def _short_text_cell(text: str) -> Cell:
    return _cell(text)


def _sparse(rows, first_column: int = 0) -> dict[int, list[Cell]]:
    """Rows (from row 1; each from `first_column`) → the used ones, each from column A."""
    pad = [""] * first_column
    return {
        number: pad + [_cell(value) for value in row]
        for number, row in enumerate(rows)
        if row and row.count("") + row.count(None) < len(row)
    }


def _count(number: int) -> str:
    """100000 → '100.000', as Vietnamese writes it."""
    return f"{number:,}".replace(",", ".")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


def _not_a_workbook(source: str, data: bytes) -> WorkbookRejected | None:
    """A file that is something else under a workbook's name, told as what it is."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return WorkbookRejected(source, "Tệp là PDF, không phải bảng tính: hãy gửi tệp Excel (.xlsx).")
    if head.startswith(b"<") and any(tag in head for tag in (b"<html", b"<table", b"<!doctype")):
        return WorkbookRejected(
            source,
            "Tệp là trang web (HTML) mang tên bảng tính, thường do phần mềm 'xuất ra Excel' tạo: hãy mở"
            " bằng Excel, chọn File > Save As > Excel Workbook (.xlsx) rồi gửi lại.",
        )
    if data.startswith(_ZIP_SIGNATURE) or data.startswith(_OLE_SIGNATURE):
        return None
    for encoding in ("utf-8", "utf-16"):
        try:  # incremental: a character cut at the end of the sample is not an error
            text = codecs.getincrementaldecoder(encoding)().decode(data[:4096], final=False)
        except UnicodeError:  # UTF-16 without its byte-order mark raises the base class (an owner file)
            continue
        if text and all(character.isprintable() or character in "\r\n\t" for character in text):
            return WorkbookRejected(
                source,
                "Tệp là văn bản thuần (CSV hoặc TXT) mang tên bảng tính: hãy mở bằng Excel, chọn File >"
                " Save As > Excel Workbook (.xlsx) rồi gửi lại.",
            )
    return None


# what a damaged zip package raises while its members are read: a bad directory or checksum, a deflate
# stream cut or garbled, a member compressed or encrypted in a way zipfile does not read, broken XML
_DAMAGED_PACKAGE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    KeyError,
    ValueError,
    SyntaxError,
)


_WORKSHEETS = "xl/worksheets/"
# a sheet's extent as it declares it, and the one form calamine always takes ("A1:J64", "A1"): it
# refuses others ("1:69", "A:C", "$A$1:$C$2"), and the XML reader reads such a sheet
_DIMENSION = re.compile(rb"<dimension\b[^>]*\bref=[\"']([^\"']*)")
_PLAIN_EXTENT = re.compile(rb"[A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?")

# what reading a sheet from its XML raises when the XML or the package around it is broken
_BROKEN_SHEET = (ElementTree.ParseError, IndexError, *_DAMAGED_PACKAGE)


def _unpacked(source: str, archive: zipfile.ZipFile) -> None:
    """WorkbookRejected for a package too large once unzipped."""
    unpacked = xlsx.unpacked_bytes(archive)
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookRejected(
            source,
            f"Tệp giải nén ra {_megabytes(unpacked)}, vượt giới hạn {_megabytes(MAX_UNPACKED_BYTES)}:"
            " hãy xóa ảnh và trang tính thừa rồi gửi lại.",
        )


def _within_limits(source: str, name: str, sheet: xlsx.SheetFacts) -> None:
    """WorkbookRejected for a sheet beyond the limits."""
    if sheet.used_rows > MAX_ROWS:
        raise WorkbookRejected(
            source,
            f"Trang '{nfc(name)}' có {_count(sheet.used_rows)} dòng, vượt giới hạn"
            f" {_count(MAX_ROWS)} dòng: hãy chỉ giữ bảng của mẫu báo cáo.",
        )
    if sheet.last_column > MAX_COLUMNS:
        raise WorkbookRejected(
            source,
            f"Trang '{nfc(name)}' có dữ liệu tới cột {get_column_letter(sheet.last_column)}, vượt"
            f" giới hạn cột {get_column_letter(MAX_COLUMNS)}: hãy xóa các cột thừa bên phải bảng.",
        )
    if sheet.cells > MAX_CELLS:
        raise WorkbookRejected(
            source,
            f"Trang '{nfc(name)}' có {_count(sheet.cells)} ô dữ liệu, vượt giới hạn"
            f" {_count(MAX_CELLS)} ô: hãy chỉ giữ bảng của mẫu báo cáo.",
        )


def _package_facts(source: str, archive: zipfile.ZipFile, names: list[str]) -> dict[str, xlsx.SheetFacts]:
    """What an .xlsx's XML says of the named sheets, after its size is checked; WorkbookRejected for a
    package too large once unzipped or a sheet beyond the limits."""
    try:
        _unpacked(source, archive)
        facts = xlsx.sheet_facts(archive, set(names))
    except _DAMAGED_PACKAGE as error:
        log.info("%s: package not readable as xlsx (%s)", source, error)
        return {}
    for name, sheet in facts.items():
        _within_limits(source, name, sheet)
    return facts


def _scanned(source: str, package: zipfile.ZipFile, wanted: Callable[[str], bool] | None) -> Workbook | None:
    """The wanted sheets of an .xlsx package, each read in one pass over its XML by the compiled scanner
    (_sheet_xml.c): values, formulas, cached errors and percentages together, no grid built, the package
    unzipped once. None where the scanner declines (a form of XML or a number format it leaves to
    calamine) or the package is damaged: calamine then reads the workbook."""
    try:
        _unpacked(source, package)
        layout = xlsx.parts(package)
        if not layout.every_sheet or layout.dates_1904:
            return None  # a sheet the scanner cannot find, or dates it would read 4 years early
        if any(
            not part.startswith(_WORKSHEETS) or part not in package.NameToInfo
            for part in layout.sheets.values()
        ):
            return None  # a chart sheet, or a sheet whose part is missing: calamine says what it makes of it
        shared: list[str] | None = []
        if layout.shared_strings in package.NameToInfo:
            shared = _sheet_xml.shared_strings(package.read(layout.shared_strings))
        if shared is None:
            return None
        flags = xlsx.styles(package).flags
        kept = [_text_cell(text) for text in shared]
        sheets = []
        for name, part in layout.sheets.items():
            if wanted is not None and not wanted(nfc(name)):
                continue
            xml = package.read(part)
            if (extent := _DIMENSION.search(xml, 0, 4096)) and not _PLAIN_EXTENT.fullmatch(extent.group(1)):
                return None  # calamine refuses the sheet and the XML reader reads it, rows unpadded
            scanned = _sheet_xml.scan(
                xml,
                shared,
                kept,
                flags,
                _text_cell,
                "",
                MAX_ROWS,
                MAX_COLUMNS,
                MAX_CELLS,
                SPARSE_GRID_CELLS,
            )
            if scanned is None:
                return None
            rows, formulas, errors, percent, used_rows, cells, last_row, last_column = scanned
            _within_limits(source, name, xlsx.SheetFacts(part, used_rows, cells, last_row, last_column))
            sheets.append(Sheet(nfc(name), rows, formulas, errors, frozenset(percent)))
    except _BROKEN_SHEET as error:
        log.info("%s: package not readable by the scanner (%s)", source, error)
        return None
    return Workbook(source, sheets)


def _checked(source: str, suffix: str, data: bytes) -> zipfile.ZipFile | None:
    """Reject what is not a workbook, or too large to read, before any reader opens it. The .xlsx
    package in `data`, opened once for these checks and the sheet facts; None for another format, or a
    package too damaged to open (the reader that opens it next says what is wrong)."""
    if not data:
        raise WorkbookRejected(source, "Tệp rỗng (0 byte): hãy gửi lại tệp đầy đủ.")
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookRejected(
            source,
            f"Tệp nặng {_megabytes(len(data))}, vượt giới hạn {_megabytes(MAX_FILE_BYTES)}: hãy xóa ảnh và"
            " trang tính thừa rồi gửi lại.",
        )
    if (rejection := _not_a_workbook(source, data)) is not None:
        raise rejection
    if suffix in OPENPYXL_SUFFIXES and data.startswith(_OLE_SIGNATURE):
        if _ENCRYPTED_STREAM in data:
            raise WorkbookRejected(
                source, "Tệp được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu (File > Info > Protect) rồi gửi lại."
            )
        raise WorkbookRejected(
            source, "Tệp là bảng tính Excel cũ (.xls) bị đổi tên thành .xlsx: hãy lưu lại dạng .xlsx."
        )
    if suffix not in OPENPYXL_SUFFIXES:
        return None
    try:
        package = xlsx.Package(data)
    except _DAMAGED_PACKAGE as error:
        log.info("%s: package not readable as xlsx (%s)", source, error)
        return None
    members = set(package.namelist())
    if "xl/workbook.xml" not in members:
        package.close()
        kind = "văn bản Word (.docx)" if "word/document.xml" in members else "tệp nén (.zip)"
        raise WorkbookRejected(
            source, f"Tệp là {kind} mang tên bảng tính: hãy gửi đúng tệp Excel (.xlsx) của báo cáo."
        )
    return package


def _calamine_cells(workbook: CalamineWorkbook, name: str, source: str) -> dict[int, list[Cell]]:
    sheet = workbook.get_sheet_by_name(name)
    if sheet.height * max(sheet.width, 1) > MAX_GRID_CELLS:  # .xls, .ods: no XML to read it sparsely
        raise WorkbookRejected(
            source,
            f"Trang '{nfc(name)}' có ô dữ liệu cách xa bảng: hãy xóa các ô thừa (Ctrl+End cho thấy ô cuối"
            " cùng) hoặc lưu lại dạng .xlsx rồi gửi lại.",
        )
    return _sparse(sheet.iter_rows(), sheet.start[1] if sheet.start else 0)


def _xml_cells(
    archive: zipfile.ZipFile | None, known: xlsx.SheetFacts, source: str, name: str
) -> dict[int, list[Cell]] | None:
    """A sheet read cell by cell from its XML; None when that XML, or the package around it, is broken."""
    assert archive is not None  # a sheet has facts only when its package opened
    try:
        return _cells_from_xml(archive, known.part)
    except _BROKEN_SHEET as broken:
        log.info("%s: sheet %r is not readable XML (%s)", source, name, broken)
        return None


def _cells_from_xml(archive: zipfile.ZipFile, part: str) -> dict[int, list[Cell]]:
    """A sheet with a stray cell far from its table, read cell by cell (xlsx.sparse_cells)."""
    by_row = xlsx.sparse_cells(archive, part)
    rows: dict[int, list[Cell]] = {}
    for row in sorted(by_row):
        values = by_row[row]
        cells: list[Cell] = [""] * (max(values) + 1)
        for column, value in values.items():
            cells[column] = _cell(value)
        if any(cell != "" for cell in cells):
            rows[row] = cells
    return rows


def read_workbook(path: Path | Received, wanted: Callable[[str], bool] | None = None) -> Workbook:
    """Every readable sheet of the workbook at `path` (or received as bytes; those sheets whose NFC name
    `wanted` accepts), and the sheets that could not be read. The bytes are read once."""
    source = path.name
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise WorkbookRejected(
            source,
            f"Định dạng '{suffix or 'không có phần mở rộng'}' không phải bảng tính Excel. "
            "Hãy gửi tệp .xlsx (hoặc .xls).",
        )
    data = path.read_bytes()
    package = _checked(source, suffix, data)
    try:
        return _read_sheets(Received(source, data), package, wanted)
    finally:
        if package is not None:
            package.close()


def _read_sheets(
    file: Received, package: zipfile.ZipFile | None, wanted: Callable[[str], bool] | None
) -> Workbook:
    """The sheets of a checked workbook; `package` is its .xlsx package when it opened as one."""
    source = file.name
    if package is not None and (scanned := _scanned(source, package, wanted)) is not None:
        return scanned
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(file.data))
    except CalamineError as error:
        log.info("%s: calamine cannot open the workbook (%s)", source, error)
        raise WorkbookRejected(
            source,
            "Không mở được tệp: tệp bị hỏng (có thể tải về hoặc chép chưa hết) hoặc không phải bảng tính"
            " Excel. Hãy mở lại bằng Excel, lưu lại rồi gửi.",
        ) from error
    names = [name for name in workbook.sheet_names if wanted is None or wanted(nfc(name))]
    facts = _package_facts(source, package, names) if package is not None else {}
    sheets: list[Sheet] = []
    unreadable: set[str] = set()
    for name in names:
        known = facts.get(name)
        sparse = (
            known is not None and known.grid_cells > SPARSE_GRID_CELLS and known.cells * 4 < known.grid_cells
        )
        try:
            cells = (
                _xml_cells(package, known, source, name)
                if sparse
                else _calamine_cells(workbook, name, source)
            )
        except CalamineError as error:
            log.info("%s: calamine cannot read sheet %r (%s)", source, name, error)
            # e.g. a <dimension ref="1:69"/> calamine refuses
            cells = _xml_cells(package, known, source, name) if known is not None else None
        if cells is None:
            unreadable.add(name)
            continue
        sheets.append(
            Sheet(nfc(name), cells, known.formulas, known.errors, known.percent)
            if known
            else Sheet(nfc(name), cells)
        )
    # openpyxl builds every row up to the last: not tried on a sheet whose cells are far apart
    recoverable = {
        name
        for name in unreadable
        if (facts_of := facts.get(name)) is None or facts_of.grid_cells <= MAX_GRID_CELLS
    }
    recovered = (
        _read_with_openpyxl(file.data, recoverable) if file.suffix.lower() in OPENPYXL_SUFFIXES else {}
    )
    sheets += [Sheet(nfc(name), cells) for name, cells in recovered.items()]
    order = {name: position for position, name in enumerate(nfc(name) for name in names)}
    sheets.sort(key=lambda sheet: order[sheet.name])
    skipped = [
        SkippedSheet(
            nfc(name), f"Không đọc được trang tính '{nfc(name)}' (trang bị hỏng): hãy lưu lại tệp bằng Excel."
        )
        for name in sorted(unreadable)
        if name not in recovered
    ]
    return Workbook(source, sheets, skipped)


def _read_with_openpyxl(data: bytes, names: set[str]) -> dict[str, dict[int, list[Cell]]]:
    """The named sheets openpyxl can read; any failure leaves a sheet to be reported as skipped."""
    if not names:
        return {}
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return {}
    recovered: dict[str, dict[int, list[Cell]]] = {}
    try:
        for name in names & set(workbook.sheetnames):
            try:
                recovered[name] = _sparse(list(workbook[name].iter_rows(values_only=True)))
            except Exception:
                continue
    finally:
        workbook.close()
    return recovered
