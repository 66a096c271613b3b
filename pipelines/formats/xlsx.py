"""What an .xlsx package says about its sheets before a cell is read, from its XML parts.

python-calamine reads cell values fast but builds each sheet as a dense grid from its first to its
last used cell, so one stray cell at row 1,048,576 or column XFD costs gigabytes; and it drops what a
reader must not trust silently: which cells are formulas, which cached values are errors (#DIV/0!
reads as blank) and which are formatted as percentages (97,5% is stored as 0.975). The package is
held in memory and each part inflated once (`Package`); where the compiled scanner (_sheet_xml.c)
declines a workbook, one pass of regular expressions over each wanted sheet's XML answers all of it,
so the grid is bounded before calamine builds it.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from xml.etree import ElementTree

from isal import isal_zlib
from openpyxl.utils import column_index_from_string

# built-in number formats that are percentages (ECMA-376 §18.8.30)
_PERCENT_FORMATS = frozenset({9, 10})
# a cell that holds something: not an empty styled cell, which LibreOffice writes <c r="AMJ5" s="3"/>
# and openpyxl <c r="AMJ5" s="3"></c>
_VALUED = re.compile(rb'<c\s+r="([A-Z]{1,3})(\d+)"[^>]*(?<!/)>(?!</c>)')
_FORMULA = re.compile(rb'<c\s+r="([A-Z]{1,3})(\d+)"[^>]*>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)')
_ERROR = re.compile(
    rb'<c\s+r="([A-Z]{1,3})(\d+)"[^>]*?\bt="e"[^>]*>(?:\s*<f\b[^>]*?(?:/>|>[^<]*</f>))?\s*<v>([^<]*)</v>'
)
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


# a local file header: its signature, its flags (bytes 6-7), the lengths of its name and extra field
_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")
# encrypted, compressed patched data, strong encryption: ZipFile refuses or decrypts them
_NOT_PLAIN = 0x1 | 0x20 | 0x40
_UTF8_NAME = 0x800


class Package(zipfile.ZipFile):
    """An .xlsx package held in memory whose deflated parts are inflated in one call (ISA-L's inflate:
    the parts of a report in two thirds of zlib's time, and none of ZipFile's streaming in Python; ISA-L's
    CRC in a fifteenth of zlib's), with ZipFile's checks: the local header's name, an entry overlapping
    the next, the declared size, the CRC. A part that fails one, or is stored, encrypted or patched, is
    read by ZipFile itself, which says what is wrong with it."""

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data))
        self._data = memoryview(data)

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        inflated = self._inflated(info) if pwd is None and self.fp is not None else None
        return inflated if inflated is not None else super().read(name, pwd)

    def _inflated(self, info: zipfile.ZipInfo) -> bytes | None:
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & _NOT_PLAIN:
            return None
        start = info.header_offset
        header = self._data[start : start + _LOCAL_HEADER.size]
        if len(header) < _LOCAL_HEADER.size:
            return None
        signature, flags, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        start += _LOCAL_HEADER.size
        try:
            name = bytes(self._data[start : start + name_length]).decode(
                "utf-8" if flags & _UTF8_NAME else "cp437"
            )
        except UnicodeDecodeError:
            return None
        if signature != b"PK\x03\x04" or name != info.orig_filename:
            return None
        start += name_length + extra_length
        end = getattr(info, "_end_offset", None)  # where the next entry starts (CPython 3.11.8, 3.12.2 on)
        if end is not None and start + info.compress_size > end:
            return None  # overlapping entries: a zip bomb, which ZipFile refuses
        # no more than the size declared and one byte (a stream longer than declared is left to ZipFile,
        # and a bomb is not inflated whole)
        try:
            inflated = isal_zlib.decompressobj(-15).decompress(
                self._data[start : start + info.compress_size], info.file_size + 1
            )
        except isal_zlib.error:  # damaged: ZipFile's read raises what the readers expect of it
            return None
        if len(inflated) != info.file_size or isal_zlib.crc32(inflated) != info.CRC:
            return None
        return inflated


@dataclass(frozen=True)
class SheetFacts:
    """One sheet as its XML tells it: how many rows hold a value, the last row and column holding one
    (1-based), and the cells a reader must look at twice, as 0-based (row, column)."""

    part: str  # where its XML is in the package
    used_rows: int
    cells: int  # that hold a value
    last_row: int
    last_column: int

    @property
    def grid_cells(self) -> int:
        """The cells of the grid from A1 to the last used cell: what a dense reader allocates."""
        return self.last_row * self.last_column

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    percent: frozenset[tuple[int, int]] = frozenset()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass(frozen=True)
class Parts:
    """Where a package keeps its worksheets (sheet name → part, in the workbook's order) and its shared
    strings (None when it has none); whether every sheet the workbook lists has a part, and whether its
    dates count from 1904 (a Mac's workbook) rather than 1900."""

    sheets: dict[str, str]
    shared_strings: str | None
    every_sheet: bool
    dates_1904: bool


def parts(archive: zipfile.ZipFile) -> Parts:
    """The package's parts, as workbook.xml and its relationships say."""
    workbook, relations = archive.read("xl/workbook.xml"), archive.read("xl/_rels/workbook.xml.rels")
    return _once(_parts_of, workbook, relations)(workbook, relations)


# workbooks made from one template share these parts byte for byte: each is parsed once per process,
# as long as the parts are of a template's size (a bloated styles part is parsed each time, not kept)
_PARSED_PARTS = 64
_KEPT_PART_BYTES = 256_000


def _once(parse, *parts: bytes):
    """`parse` remembered for these parts, or unremembered when they are too large to keep."""
    return parse if sum(map(len, parts)) <= _KEPT_PART_BYTES else parse.__wrapped__


def _in_package(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


@lru_cache(maxsize=_PARSED_PARTS)
def _parts_of(workbook_xml: bytes, relations_xml: bytes) -> Parts:
    workbook = ElementTree.fromstring(workbook_xml)
    relations = [
        element
        for element in ElementTree.fromstring(relations_xml).iter()
        if _local(element.tag) == "Relationship"
    ]
    targets = {element.get("Id"): element.get("Target", "") for element in relations}
    sheets, listed, dates_1904 = {}, 0, False
    for element in workbook.iter():
        if _local(element.tag) == "workbookPr":
            dates_1904 = element.get("date1904", "").lower() in ("1", "true")
        if _local(element.tag) != "sheet":
            continue
        listed += 1
        if target := targets.get(element.get(_R_ID)):
            sheets[element.get("name", "")] = _in_package(target)
    shared = [
        element.get("Target", "")
        for element in relations
        if element.get("Type", "").endswith("/sharedStrings") and element.get("Target")
    ]
    return Parts(sheets, _in_package(shared[0]) if shared else None, len(sheets) == listed > 0, dates_1904)


_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _is_date_format(code: str) -> bool:
    """A custom number format showing a date or time ("dd/mm/yyyy", "h:mm"), not a number."""
    bare = _QUOTED_OR_BRACKETED.sub("", code).lower()
    return any(letter in bare for letter in "dyhs") and "0" not in bare and "#" not in bare


# what the worksheet scanner (_sheet_xml) is told of each cell format, a flag byte per format
PERCENT, DATE, UNSURE = 1, 2, 4
# built-in formats whose numbers calamine reads as plain numbers (General, 0, 0.00, #,##0, #,##0.00, 0%,
# 0.00%, 0.00E+00, fractions, accounting, ##0.0E+0, text), and those it reads as dates or times
_PLAIN_FORMATS = frozenset({0, 1, 2, 3, 4, 9, 10, 11, 12, 13, *range(37, 45), 48, 49})
_DATE_TIME_FORMATS = frozenset(range(14, 23))
# a custom format of digits, separators, a percent sign and quoted words ("0.0%", "#,##0" đồng"",
# "General"), and one of a date with or without its time ("dd/mm/yyyy", "d-m-yy", "dd/mm/yyyy hh:mm"),
# either after a locale tag ("[$-42A]0.00": Vietnamese)
_LOCALE = r"(?:\[\$-[0-9A-Fa-f]{1,8}\])?"
_NUMBER_CODE = re.compile(_LOCALE + r'(?i:general|(?:[0#?,. %]|"[^"]*")+)')
_DATE_CODE = re.compile(
    _LOCALE + r"(?i:(?:d{1,4}|m{1,4}|yy|yyyy)(?:[-/. ](?:d{1,4}|m{1,4}|yy|yyyy))*(?: h{1,2}:mm(?::ss)?)?)"
)


def _flag(number_format: int, code: str, percent: bool) -> int:
    """The scanner's flag for a cell format: UNSURE for one calamine may read as a time or duration, or
    as anything but a plain number or a date, so that the scanner leaves its numbers to calamine."""
    if code:
        kind = 0 if _NUMBER_CODE.fullmatch(code) else DATE if _DATE_CODE.fullmatch(code) else UNSURE
    else:
        kind = (
            0 if number_format in _PLAIN_FORMATS else DATE if number_format in _DATE_TIME_FORMATS else UNSURE
        )
    return kind | (PERCENT if percent else 0)


@dataclass(frozen=True)
class Styles:
    """Indices of the cell formats (cellXfs) whose number format shows a percentage, or a date; and
    the scanner's flag byte for each format (a workbook without styles has only General)."""

    percent: frozenset[int] = frozenset()
    date: frozenset[int] = frozenset()
    flags: bytes = bytes(1)


def styles(archive: zipfile.ZipFile) -> Styles:
    try:
        xml = archive.read("xl/styles.xml")
    except KeyError:
        return Styles()
    return _once(_styles_of, xml)(xml)


@lru_cache(maxsize=_PARSED_PARTS)
def _styles_of(xml: bytes) -> Styles:
    styles = ElementTree.fromstring(xml)
    custom = {
        int(element.get("numFmtId", -1)): element.get("formatCode", "")
        for element in styles.iter()
        if _local(element.tag) == "numFmt"
    }
    percent, dates, flags = set(), set(), bytearray()
    for container in styles.iter():
        if _local(container.tag) == "cellXfs":
            for index, xf in enumerate(child for child in container if _local(child.tag) == "xf"):
                number_format = int(xf.get("numFmtId", 0))
                code = custom.get(number_format, "")
                is_percent = number_format in _PERCENT_FORMATS or "%" in code
                flags.append(_flag(number_format, code, is_percent))
                if is_percent:
                    percent.add(index)
                elif number_format in _DATE_FORMATS or (code and _is_date_format(code)):
                    dates.add(index)
    return Styles(frozenset(percent), frozenset(dates), bytes(flags or bytes(1)))


def _position(column: bytes, row: bytes) -> tuple[int, int]:
    return int(row) - 1, column_index_from_string(column.decode()) - 1


def _column_order(letters: bytes) -> tuple[int, bytes]:
    """Column letters in the sheet's order: "Z" before "AA"."""
    return len(letters), letters


def _facts(part: str, xml: bytes, percent_styles: frozenset[int]) -> SheetFacts:
    valued = _VALUED.findall(xml)
    columns, rows = zip(*valued, strict=True) if valued else ((), ())
    distinct_rows = set(rows)
    percent: frozenset[tuple[int, int]] = frozenset()
    if percent_styles:
        styled = re.compile(
            rb'<c\s+r="([A-Z]{1,3})(\d+)"[^>]*?\bs="(?:'
            + "|".join(map(str, percent_styles)).encode()
            + rb')"'
        )
        percent = frozenset(_position(column, row) for column, row in styled.findall(xml))
    return SheetFacts(
        part=part,
        used_rows=len(distinct_rows),
        cells=len(valued),
        last_row=max(map(int, distinct_rows), default=0),
        last_column=column_index_from_string(max(set(columns), key=_column_order).decode()) if columns else 0,
        # most sheets hold neither: a search for the element or attribute spares the full pattern
        formulas={_position(c, r): f.decode("utf-8", "replace") for c, r, f in _FORMULA.findall(xml)}
        if b"<f" in xml
        else {},
        errors={_position(c, r): v.decode("utf-8", "replace") for c, r, v in _ERROR.findall(xml)}
        if b't="e"' in xml
        else {},
        percent=percent,
    )


def unpacked_bytes(archive: zipfile.ZipFile) -> int:
    """What the package's parts add up to once unzipped, as its directory declares."""
    return sum(info.file_size for info in archive.infolist())


def sheet_facts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, SheetFacts]:
    """The facts of the named worksheets of an opened .xlsx package (check its unpacked size first)."""
    percent_styles = styles(archive).percent
    return {
        name: _facts(part, archive.read(part), percent_styles)
        for name, part in parts(archive).sheets.items()
        if name in names and part in archive.NameToInfo
    }


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    except KeyError:
        return []
    return [
        "".join(text.text or "" for text in item.iter() if _local(text.tag) == "t")
        for item in root
        if _local(item.tag) == "si"
    ]


def _column_index(reference: str) -> tuple[int, int]:
    letters = reference.rstrip("0123456789")
    return int(reference[len(letters) :]) - 1, column_index_from_string(letters) - 1


_EXCEL_EPOCH = datetime(1899, 12, 30)


def _as_date(number: float) -> datetime | float:
    """A number in a date format as the date it shows; the number itself where Excel shows ####
    instead (a negative serial, or one past 31/12/9999)."""
    if number < 0:
        return number
    try:
        return _EXCEL_EPOCH + timedelta(days=number)
    except (OverflowError, ValueError):
        return number


def sparse_cells(archive: zipfile.ZipFile, part: str) -> dict[int, dict[int, object]]:
    """The cells of one worksheet that hold a value, row → column → value (0-based; text, float, bool,
    or datetime for a number shown as a date), read from its XML without building a grid: for a sheet
    whose grid a dense reader could not afford (one cell at row 1,048,576)."""
    shared = _shared_strings(archive)
    dates = styles(archive).date
    cells: dict[int, dict[int, object]] = {}
    for _, element in ElementTree.iterparse(archive.open(part)):
        if _local(element.tag) != "c":
            continue
        kind, style = element.get("t", "n"), int(element.get("s", 0))
        value_element = next((child for child in element if _local(child.tag) == "v"), None)
        text = value_element.text if value_element is not None else None
        value: object = None
        if kind == "inlineStr":
            value = "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")
        elif text is None or kind == "e":
            value = None  # an error is told apart by SheetFacts.errors; calamine reads it as blank too
        elif kind == "s":
            value = shared[int(text)]
        elif kind in ("str", "d"):
            value = text
        elif kind == "b":
            value = text == "1"
        else:
            number = float(text)
            value = _as_date(number) if style in dates else number
        reference = element.get("r")
        element.clear()
        if value is not None and value != "" and reference:
            row, column = _column_index(reference)
            cells.setdefault(row, {})[column] = value
    return cells
