"""What an .xlsx package says about its sheets before a cell is read, from its XML parts.

python-calamine reads cell values fast but builds each sheet as a dense grid from its first to its
last used cell, so one stray cell at row 1,048,576 or column XFD costs gigabytes; and it drops what a
reader must not trust silently: which cells are formulas, which cached values are errors (#DIV/0!
reads as blank) and which are formatted as percentages (97,5% is stored as 0.975). One pass of
regular expressions over each wanted sheet's XML answers all of it, so the grid is bounded before it
is built and the workbook is unzipped once.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from openpyxl.utils import column_index_from_string

# built-in number formats that are percentages (ECMA-376 §18.8.30)
_PERCENT_FORMATS = frozenset({9, 10})
# a cell that holds something (an empty styled cell is self-closing: <c r="AMJ5" s="3"/>)
_VALUED = re.compile(rb'<c\s+r="([A-Z]{1,3})(\d+)"[^>]*?(?<!/)>')
_FORMULA = re.compile(rb'<c\s+r="([A-Z]{1,3})(\d+)"[^>]*>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)')
_ERROR = re.compile(
    rb'<c\s+r="([A-Z]{1,3})(\d+)"[^>]*?\bt="e"[^>]*>(?:\s*<f\b[^>]*?(?:/>|>[^<]*</f>))?\s*<v>([^<]*)</v>'
)
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class SheetFacts:
    """One sheet as its XML tells it: how many rows hold a value, the last row and column holding one
    (1-based), and the cells a reader must look at twice, as 0-based (row, column)."""

    used_rows: int
    last_row: int
    last_column: int
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    percent: frozenset[tuple[int, int]] = frozenset()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the package, as workbook.xml and its relationships say."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        element.get("Id"): element.get("Target", "")
        for element in relations.iter()
        if _local(element.tag) == "Relationship"
    }
    parts = {}
    for element in workbook.iter():
        if _local(element.tag) == "sheet" and (target := targets.get(element.get(_R_ID))):
            parts[element.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _percent_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indices of the cell formats (cellXfs) whose number format shows a percentage."""
    try:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    custom = {
        int(element.get("numFmtId", -1)): element.get("formatCode", "")
        for element in styles.iter()
        if _local(element.tag) == "numFmt"
    }
    percent = set()
    for container in styles.iter():
        if _local(container.tag) == "cellXfs":
            for index, xf in enumerate(child for child in container if _local(child.tag) == "xf"):
                number_format = int(xf.get("numFmtId", 0))
                if number_format in _PERCENT_FORMATS or "%" in custom.get(number_format, ""):
                    percent.add(index)
    return frozenset(percent)


def _position(column: bytes, row: bytes) -> tuple[int, int]:
    return int(row) - 1, column_index_from_string(column.decode()) - 1


def _facts(xml: bytes, percent_styles: frozenset[int]) -> SheetFacts:
    valued = _VALUED.findall(xml)
    rows = {row for _, row in valued}
    percent: frozenset[tuple[int, int]] = frozenset()
    if percent_styles:
        styled = re.compile(
            rb'<c\s+r="([A-Z]{1,3})(\d+)"[^>]*?\bs="(?:'
            + "|".join(map(str, percent_styles)).encode()
            + rb')"'
        )
        percent = frozenset(_position(column, row) for column, row in styled.findall(xml))
    return SheetFacts(
        used_rows=len(rows),
        last_row=max(map(int, rows), default=0),
        last_column=max((column_index_from_string(c.decode()) for c in {c for c, _ in valued}), default=0),
        formulas={_position(c, r): f.decode("utf-8", "replace") for c, r, f in _FORMULA.findall(xml)},
        errors={_position(c, r): v.decode("utf-8", "replace") for c, r, v in _ERROR.findall(xml)},
        percent=percent,
    )


def unpacked_bytes(archive: zipfile.ZipFile) -> int:
    """What the package's parts add up to once unzipped, as its directory declares."""
    return sum(info.file_size for info in archive.infolist())


def sheet_facts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, SheetFacts]:
    """The facts of the named worksheets of an opened .xlsx package (check its unpacked size first)."""
    percent_styles = _percent_styles(archive)
    return {
        name: _facts(archive.read(part), percent_styles)
        for name, part in _sheet_parts(archive).items()
        if name in names and part in archive.NameToInfo
    }
