"""Fill a report template thousands of times a minute: the template is written once (openpyxl, the
real one), and each filled copy is made by typing values into its sheets' XML.

The cells are the ones `forms.report.fill` types into (its `input_cells` and `typed_values`), so a stamped
file and a file filled through openpyxl read the same (a test compares them). The template is written
for placeholder agency strings, replaced per copy, so one template serves every agency of a province,
level and period.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

from pipelines.forms.report.fill import Filling, InputCells, Value, input_cells, typed_values

AGENCY_NAME = "BENCHAGENCYNAME"
AGENCY_KEY = "bench.agency.key"
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(?:.*?)</c>)')
_STYLE = re.compile(r'\ss="([0-9]+)"')
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Prototype:
    """A template's parts, where its input cells are, and which part holds each sheet."""

    parts: dict[str, bytes]
    cells: InputCells
    sheet_parts: dict[str, str]  # sheet name → part name


def load_prototype(path: Path) -> Prototype:
    workbook = openpyxl.load_workbook(path)
    try:
        cells = input_cells(workbook)
        # openpyxl writes the n-th sheet as xl/worksheets/sheet<n>.xml
        sheet_parts = {name: f"xl/worksheets/sheet{n}.xml" for n, name in enumerate(workbook.sheetnames, 1)}
    finally:
        workbook.close()
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    missing = set(sheet_parts.values()) - set(parts)
    if missing:
        raise ValueError(f"{path.name}: not laid out as openpyxl writes ({sorted(missing)})")
    return Prototype(parts, cells, sheet_parts)


def _cell(address: str, style: str, value: Value) -> str:
    styled = f' s="{style}"' if style else ""
    if isinstance(value, date):
        return f'<c r="{address}"{styled} t="n"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{address}"{styled} t="n"><v>{value!r}</v></c>'
    return f'<c r="{address}"{styled} t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _type_into(xml: str, values: dict[str, Value]) -> str:
    if not values:
        return xml
    placed: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        address = match[1]
        if address not in values:
            return match[0]
        placed.add(address)
        style = _STYLE.search(match[2])
        return _cell(address, style[1] if style else "", values[address])

    typed = _CELL.sub(replace, xml)
    if missing := set(values) - placed:
        raise ValueError(f"input cells not in the template: {sorted(missing)}")
    return typed


def stamp(prototype: Prototype, filling: Filling, agency_key: str, agency_name: str) -> bytes:
    """The bytes of the template filled with `filling`, for the named agency."""
    by_part = {
        prototype.sheet_parts[sheet]: values
        for sheet, values in typed_values(prototype.cells, filling).items()
    }
    names = {AGENCY_NAME: escape(agency_name), AGENCY_KEY: escape(agency_key)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in prototype.parts.items():
            if name.startswith("xl/worksheets/sheet"):
                xml = data.decode("utf-8")
                for placeholder, value in names.items():
                    xml = xml.replace(placeholder, value)
                data = _type_into(xml, by_part.get(name, {})).encode("utf-8")
            archive.writestr(name, data)
    return buffer.getvalue()
