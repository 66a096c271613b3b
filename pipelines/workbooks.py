"""Excel workbooks as grids of cells: numbers stay numbers, everything else is NFC text.

python-calamine reads every sheet (.xlsx, .xlsm, .xls, .ods) fast, from A1 (not from the first used
cell), so a row and column here are the row and column a clerk sees. A sheet calamine cannot decode
is read again with openpyxl (.xlsx only); a sheet neither can read is skipped and named, and the
rest of the workbook still loads. A file that cannot be opened at all raises WorkbookRejected with
a reason a clerk can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from pipelines.text.normalize import nfc

Cell = str | float

SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
OPENPYXL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


class WorkbookRejected(Exception):
    """A workbook that cannot be read; `reason` is written for the clerk who sent it."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Cell]]

    def cell(self, row: int, column: int) -> Cell:
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[column] if column < len(cells) else ""

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass(frozen=True)
class SkippedSheet:
    name: str
    reason: str


@dataclass(frozen=True)
class Workbook:
    source: str
    sheets: list[Sheet]
    skipped: list[SkippedSheet] = field(default_factory=list)


def cell_address(row: int, column: int) -> str:
    """Zero-based (row, column) → the address a clerk sees in Excel: (11, 1) → 'B12'."""
    return f"{get_column_letter(column + 1)}{row + 1}"


def cell_text(value: Cell) -> str:
    """A cell as text: numbers without a spurious '.0'."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def _cell(value: object) -> Cell:
    if value.__class__ is str:  # most cells: ASCII needs no normalising
        return value.strip() if value.isascii() else nfc(value).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return nfc(str(value)).strip()


def _grid(rows: list[list[object]] | list[tuple[object, ...]]) -> list[list[Cell]]:
    return [[_cell(value) for value in row] for row in rows]


def read_workbook(path: Path, wanted: Callable[[str], bool] | None = None) -> Workbook:
    """Every readable sheet of the workbook at `path` (or those whose NFC name `wanted` accepts), and
    the sheets that could not be read."""
    source = path.name
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise WorkbookRejected(
            source,
            f"Định dạng '{suffix or 'không có phần mở rộng'}' không phải bảng tính Excel. "
            "Hãy gửi tệp .xlsx (hoặc .xls).",
        )
    data = path.read_bytes()
    if not data:
        raise WorkbookRejected(source, "Tệp rỗng (0 byte): hãy gửi lại tệp đầy đủ.")
    if suffix in OPENPYXL_SUFFIXES and data.startswith(_OLE_SIGNATURE):
        if _ENCRYPTED_STREAM in data:
            raise WorkbookRejected(
                source, "Tệp được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu (File > Info > Protect) rồi gửi lại."
            )
        raise WorkbookRejected(
            source, "Tệp là bảng tính Excel cũ (.xls) bị đổi tên thành .xlsx: hãy lưu lại dạng .xlsx."
        )
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except CalamineError as error:
        raise WorkbookRejected(
            source, f"Không mở được tệp: tệp bị hỏng hoặc không phải bảng tính Excel ({error})."
        ) from error
    sheets: list[Sheet] = []
    unreadable: dict[str, str] = {}
    names = [name for name in workbook.sheet_names if wanted is None or wanted(nfc(name))]
    for name in names:
        try:
            sheets.append(
                Sheet(nfc(name), _grid(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)))
            )
        except CalamineError as error:
            unreadable[name] = str(error)
    recovered = _read_with_openpyxl(path, set(unreadable)) if suffix in OPENPYXL_SUFFIXES else {}
    sheets += [Sheet(nfc(name), rows) for name, rows in recovered.items()]
    order = {name: position for position, name in enumerate(nfc(name) for name in names)}
    sheets.sort(key=lambda sheet: order[sheet.name])
    skipped = [
        SkippedSheet(nfc(name), f"Không đọc được trang tính '{name}' ({reason}).")
        for name, reason in unreadable.items()
        if name not in recovered
    ]
    return Workbook(source, sheets, skipped)


def _read_with_openpyxl(path: Path, names: set[str]) -> dict[str, list[list[Cell]]]:
    """The named sheets openpyxl can read; any failure leaves a sheet to be reported as skipped."""
    if not names:
        return {}
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return {}
    recovered: dict[str, list[list[Cell]]] = {}
    try:
        for name in names & set(workbook.sheetnames):
            try:
                recovered[name] = _grid(list(workbook[name].iter_rows(values_only=True)))
            except Exception:
                continue
    finally:
        workbook.close()
    return recovered
