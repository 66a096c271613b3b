"""Read a filled progress report: which agency and period, each indicator value, each task status.

Sheets and header rows are found by their labels (layout.py), not positions. Cells are read as
they are (python-calamine) and parsed here, in one place: Vietnamese numbers ("97,5 %"), dates as
typed or as date cells. Computed cells are never trusted: a rate is recomputed from its numerator
and denominator when the actual is blank. openpyxl is opened only to ask a cell's number format,
when a percentage may have been typed as "97,5%" and stored by Excel as 0.975.

A problem with one row rejects or flags that row, with its cell address; a problem with the file
(unreadable, a sheet missing, unknown agency, impossible or contradictory period) rejects the file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path

from pipelines.formats.workbooks import (
    Cell,
    Sheet,
    SkippedSheet,
    WorkbookRejected,
    cell_address,
    cell_text,
    column_letter,
    read_workbook,
)
from pipelines.forms.labels import plain
from pipelines.forms.report import layout
from pipelines.forms.report.layout import FIRST_YEAR
from pipelines.landing.faults import READER_FAULT, is_reader_fault
from pipelines.landing.files import Received
from pipelines.text.agencies import known_agencies, resolve_agency
from pipelines.text.dates import is_in_words, parse_date
from pipelines.text.normalize import fold, match_key
from pipelines.text.numbers import parse_number
from pipelines.text.periods import parse_period
from pipelines.text.reference import read_seed

log = logging.getLogger(__name__)

ACCEPTED, FLAGGED, REJECTED, MISSING = "accepted", "flagged", "rejected", "missing"


class ReportRejected(Exception):
    """A report file that cannot be accepted; `reason` tells the clerk what to fix."""

    def __init__(self, source: str, reason: str, identified: tuple[str, str] | None = None):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
        self.identified = identified  # (agency, period) when the file said whose and which it is


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each field through object.__setattr__
class IndicatorValue:
    row: int  # 1-based row in the indicators sheet
    indicator_code: str
    is_percent: bool
    target_text: str
    printed_target: float | None  # what the template printed (hidden block)
    actual_text: str
    actual_cell: str
    actual_value: float | None
    numerator: float | None
    denominator: float | None
    is_computed: bool
    row_status: str
    issue: str | None
    note: str | None


@dataclass(slots=True)
class TaskStatus:
    row: int
    task_code: str
    stt: str
    status_text: str
    status_cell: str
    status_code: str | None
    completed_on: date | None
    row_status: str
    issue: str | None
    note: str | None


@dataclass
class ReportReading:
    source: str
    template_version: str | None
    agency_key: str
    period_key: str
    submitter: str | None
    phone: str | None
    email: str | None
    reported_on: date | None
    indicators: list[IndicatorValue] = field(default_factory=list)
    tasks: list[TaskStatus] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=4096)  # labels and statuses: the same few in every file
def _key(text: str) -> str:
    return " ".join(fold(text).replace("\n", " ").split())


def _number(value: Cell) -> float | None:
    if isinstance(value, float):
        return value
    return parse_number(value.replace("%", "")) if value.strip() else None


def _date(value: Cell) -> date | None:
    return parse_date(cell_text(value))


def _in_words(value: Cell, address: str, read: date | None) -> str | None:
    """A finding for a date typed in words: read, and how to type it."""
    text = cell_text(value).strip()
    if read is None or not is_in_words(text):
        return None
    return (
        f"Ô {address}: ngày viết bằng chữ '{text}', đã đọc là {read:%d/%m/%Y}; hãy nhập dạng ngày/tháng/năm."
    )


def _sheet(sheets: dict[str, Sheet | SkippedSheet], name: str, source: str) -> Sheet:
    found = {_key(sheet_name): sheet for sheet_name, sheet in sheets.items()}.get(_key(name))
    if isinstance(found, SkippedSheet):  # there, but no reader could read it
        raise ReportRejected(source, found.reason)
    if found is None:
        legacy = (
            " Tệp .xls (Excel 97-2003) không phải mẫu báo cáo hiện hành."
            if source.lower().endswith(".xls")
            else ""
        )
        raise ReportRejected(
            source,
            f"Thiếu trang '{name}'.{legacy} Hãy dùng mẫu báo cáo (.xlsx) của kỳ này và không xóa hay đổi tên"
            " trang tính.",
        )
    return found


def _header(
    sheet: Sheet, labels: tuple[str, ...], required: tuple[str, ...], source: str
) -> tuple[int, dict]:
    """The header row (0-based) and label → column of a table, wherever the clerk moved them."""
    wanted = {_key(label): label for label in labels}
    for row, cells in sheet.rows():
        columns = {
            wanted[_key(cell_text(value))]: column
            for column, value in enumerate(cells)
            if _key(cell_text(value)) in wanted
        }
        if sum(label in columns for label in required) >= 2:
            missing = [label for label in required if label not in columns]
            if missing:
                raise ReportRejected(
                    source,
                    f"Trang '{sheet.name}' thiếu cột {', '.join(repr(m) for m in missing)} (dòng {row + 1}).",
                )
            return row, columns
    raise ReportRejected(
        source, f"Trang '{sheet.name}' không có dòng tiêu đề ({', '.join(required)}): hãy dùng mẫu báo cáo."
    )


def _meta(sheets: dict[str, Sheet | SkippedSheet]) -> tuple[dict[str, str], dict[str, float | None]]:
    sheet = sheets.get(layout.META_SHEET)
    if not isinstance(sheet, Sheet):
        return {}, {}
    values: dict[str, str] = {}
    targets: dict[str, float | None] = {}
    in_targets = False
    for _, row in sheet.rows():
        key = cell_text(row[0]) if row else ""
        if key == layout.META_TARGETS:
            in_targets = True
        elif in_targets and key:
            targets[key] = _number(row[2]) if len(row) > 2 else None
        elif key:
            values[key] = cell_text(row[1]) if len(row) > 1 else ""
    return values, targets


def _general(sheet: Sheet) -> dict[str, tuple[Cell, str]]:
    """Label → the value right of it and that cell's address, on the general-information sheet."""
    found: dict[str, tuple[Cell, str]] = {}
    labels = {
        _key(label): label
        for label in (
            layout.AGENCY_NAME,
            layout.AGENCY_KEY,
            layout.PERIOD_LABEL,
            layout.SUBMITTER,
            layout.PHONE,
            layout.EMAIL,
            layout.REPORTED_ON,
        )
    }
    for number, row in sheet.rows():
        for column, value in enumerate(row):
            label = labels.get(_key(cell_text(value)))
            if label and label not in found:  # a blank answer may end the row (a sheet read cell by cell)
                found[label] = (sheet.cell(number, column + 1), cell_address(number, column + 1))
    return found


def _typed(general: dict[str, tuple[Cell, str]], label: str) -> str:
    return cell_text(general.get(label, ("", ""))[0]).strip()


# what Sở Nội vụ needs to answer a report, and why; a blank one is a warning, not a refusal
_REQUIRED = {
    layout.SUBMITTER: "hãy ghi họ tên người lập để Sở Nội vụ liên hệ khi cần",
    layout.PHONE: "hãy ghi số điện thoại người lập để Sở Nội vụ liên hệ khi cần",
    layout.EMAIL: "hãy ghi thư điện tử để nhận phiếu phản hồi của Sở Nội vụ",
    layout.REPORTED_ON: "hãy ghi ngày báo cáo (ngày/tháng/năm)",
}


def _general_warnings(sheet: str, general: dict[str, tuple[Cell, str]]) -> list[str]:
    """A required field of the general sheet left blank, or its date typed in words."""
    found: list[str] = []
    for label, (entered, address) in general.items():
        if label not in _REQUIRED:
            continue
        if not cell_text(entered).strip():
            found.append(f"Trang '{sheet}', ô {address}: '{label}' để trống: {_REQUIRED[label]}.")
        elif label == layout.REPORTED_ON and (words := _in_words(entered, address, _date(entered))):
            found.append(f"Trang '{sheet}', {words[0].lower()}{words[1:]}")
    return found


@cache
def _indicator_codes() -> frozenset[str]:
    return frozenset(row["indicator_code"] for row in read_seed("indicators"))


def _identify(source: str, meta: dict[str, str], general: dict[str, tuple[Cell, str]]) -> tuple[str, str]:
    """The agency and period the file is for: from the hidden block, checked against what is visible."""
    agency = meta.get(layout.META_AGENCY) or _typed(general, layout.AGENCY_KEY)
    if not agency and (name := _typed(general, layout.AGENCY_NAME)):
        agency = resolve_agency(name).agency_key or ""
    if not agency:
        raise ReportRejected(
            source, "Không xác định được cơ quan báo cáo: hãy dùng mẫu báo cáo do Sở Nội vụ gửi."
        )
    if agency not in known_agencies():
        raise ReportRejected(
            source,
            f"Cơ quan '{agency}' không có trong danh mục cơ quan: hãy liên hệ Sở Nội vụ để được cấp mẫu.",
        )
    visible = _typed(general, layout.PERIOD_LABEL)
    period = meta.get(layout.META_PERIOD) or (parse_period(visible) or "")
    if not period or parse_period(period) != period:
        raise ReportRejected(
            source,
            f"Kỳ báo cáo '{period or visible}' không phải kỳ báo cáo theo quy định "
            "(Quý I, 6 tháng, Quý III, Năm).",
        )
    year = int(period[:4])
    if not FIRST_YEAR <= year <= date.today().year:
        raise ReportRejected(source, f"Kỳ báo cáo {period} không hợp lệ: năm {year} chưa tới hoặc quá xa.")
    if visible and (shown := parse_period(visible)) and shown != period:
        raise ReportRejected(
            source, f"Trang '{layout.GENERAL_SHEET}' ghi kỳ '{visible}' nhưng mẫu được cấp cho kỳ {period}."
        )
    if (named := named_period(source)) and named != period:
        raise ReportRejected(
            source,
            f"Tên tệp ghi kỳ {named} nhưng mẫu bên trong là của kỳ {period}: có lẽ đã dùng lại mẫu kỳ trước. "
            "Hãy tải mẫu của đúng kỳ báo cáo.",
        )
    return agency, period


def _open(path: Path | Received, *names: str) -> dict[str, Sheet | SkippedSheet]:
    """The named sheets of a report (names as the template writes them; the clerk's may differ in case,
    accents or line breaks) and the hidden block."""
    keys = {_key(name) for name in names}
    try:
        workbook = read_workbook(path, lambda sheet: sheet == layout.META_SHEET or _key(sheet) in keys)
    except WorkbookRejected as rejection:
        raise ReportRejected(path.name, rejection.reason) from rejection
    # a sheet no reader could read is kept by name, so that asking for it says so (not that it is missing)
    # (a read sheet wins over a skipped one whose name folds to the same key)
    return {sheet.name: sheet for sheet in [*workbook.skipped, *workbook.sheets]}


def identify_report(path: Path) -> tuple[str, str]:
    """The agency and period a report file is for; ReportRejected when it cannot be told."""
    sheets = _open(path, layout.GENERAL_SHEET)
    meta, _ = _meta(sheets)
    return _identify(path.name, meta, _general(_sheet(sheets, layout.GENERAL_SHEET, path.name)))


def named_period(source: str) -> str | None:
    """The period a file's name says it is for ("so_tu_phap_quy-III-2024.xlsx" → 2024-Q3), if any."""
    return parse_period(Path(source).stem.replace("_", " ").replace("-", " "))


def planned_period(path: Path) -> str:
    """The period a report file is for, from its hidden block alone when it has one (the agency and
    general sheet otherwise), to group files into runs: the run's full read checks it against the rest."""
    meta, _ = _meta(_open(path))
    period = meta.get(layout.META_PERIOD, "")
    return period if period and parse_period(period) == period else identify_report(path)[1]


def read_report(path: Path | Received) -> ReportReading:
    """The report at `path` (or received as bytes), opened once; ReportRejected (with the agency and
    period when they could be told) when it cannot be accepted."""
    source = path.name
    sheets = _open(path, layout.GENERAL_SHEET, layout.INDICATORS_SHEET, layout.TASKS_SHEET)
    meta, printed_targets = _meta(sheets)
    general_sheet = _sheet(sheets, layout.GENERAL_SHEET, source)
    general = _general(general_sheet)  # label → (value, address)
    agency, period = _identify(source, meta, general)
    try:
        indicators_sheet = _sheet(sheets, layout.INDICATORS_SHEET, source)
        tasks_sheet = _sheet(sheets, layout.TASKS_SHEET, source)
        version = meta.get(layout.META_VERSION)
        reading = ReportReading(
            source=source,
            template_version=version,
            agency_key=agency,
            period_key=period,
            submitter=_typed(general, layout.SUBMITTER) or None,
            phone=_typed(general, layout.PHONE) or None,
            email=_typed(general, layout.EMAIL) or None,
            reported_on=_date(general.get(layout.REPORTED_ON, ("", ""))[0]),
        )
        if version != layout.TEMPLATE_VERSION:
            reading.warnings.append(
                f"Tệp dùng mẫu phiên bản '{version or 'không rõ'}',"
                f" mẫu hiện hành là {layout.TEMPLATE_VERSION}."
            )
        reading.warnings += _general_warnings(general_sheet.name, general)
        reading.indicators = _indicator_values(indicators_sheet, printed_targets, source)
        reading.tasks = _task_statuses(tasks_sheet, source, int(period[:4]))
        reading.warnings += _blank_rows(reading, indicators_sheet.name, tasks_sheet.name)
    except ReportRejected as rejection:
        raise ReportRejected(source, rejection.reason, (agency, period)) from rejection
    except BaseException as fault:  # a fault of this reader on rows it could not foresee: the file's only
        if not is_reader_fault(fault):
            raise
        log.exception("%s: the report reader failed after identifying %s %s", source, agency, period)
        raise ReportRejected(source, READER_FAULT, (agency, period)) from fault
    return reading


def _blank_rows(reading: ReportReading, indicators: str, tasks: str) -> list[str]:
    """The targets and tasks of the form left without an answer: each counts as not reported."""
    found = []
    for sheet, cells, total, what, column in (
        (
            indicators,
            [value.actual_cell for value in reading.indicators if value.row_status == MISSING],
            len(reading.indicators),
            "chỉ tiêu",
            layout.ACTUAL,
        ),
        (
            tasks,
            [task.status_cell for task in reading.tasks if task.row_status == MISSING],
            len(reading.tasks),
            "nhiệm vụ",
            layout.STATUS,
        ),
    ):
        if cells:
            found.append(
                f"Trang '{sheet}': {len(cells)} trên {total} {what} chưa nhập '{column}' (ô"
                f" {', '.join(cells)}): {what} để trống được tính là chưa có số liệu."
            )
    return found


_INDICATOR_CELLS = (
    layout.INDICATOR_CODE,
    layout.ACTUAL,
    layout.NUMERATOR,
    layout.DENOMINATOR,
    layout.TARGET,
    layout.UNIT,
    layout.NOTE,
)


@lru_cache(maxsize=4096)  # a unit and a target are written alike in every file of a template
def _target(text: str) -> float | None:
    """The number of a target as the form prints it ('≥ 80' → 80.0)."""
    return _number(text.lstrip("≥≤=<> "))


@lru_cache(maxsize=4096)
def _is_percent(unit_text: str) -> bool:
    return unit_text.strip() == "%" or match_key(unit_text) in {"percent", "ty le"}


def _indicator_values(sheet: Sheet, printed: dict[str, float | None], source: str) -> list[IndicatorValue]:
    header, columns = _header(
        sheet, layout.INDICATOR_COLUMNS, (layout.INDICATOR_CODE, layout.TARGET, layout.ACTUAL), source
    )

    cells_of = _row_reader(sheet, columns, _INDICATOR_CELLS)
    actual_letter = column_letter(columns[layout.ACTUAL])
    entered_columns = [
        columns[label] for label in (layout.ACTUAL, layout.NUMERATOR, layout.DENOMINATOR) if label in columns
    ]

    values: list[IndicatorValue] = []
    percent_cells: list[tuple[int, int]] = []
    for row, cells in sheet.rows(header + 1):
        code_raw, actual_raw, numerator_raw, denominator_raw, target_raw, unit_raw, note_raw = cells_of(
            row, cells
        )
        code = cell_text(code_raw)
        entered = [cell_text(actual_raw), cell_text(numerator_raw), cell_text(denominator_raw)]
        if not (entered[0] or entered[1] or entered[2]) and (not code or code not in printed):
            continue  # blank rows, and notes a clerk wrote under the table
        note = cell_text(note_raw) or None
        address = f"{actual_letter}{row + 1}"
        row_of = (row, code, target_raw, entered[0], address, note)  # a rejected row's cells
        issues: list[str] = []
        status = ACCEPTED
        if not code:
            values.append(_rejected_row(*row_of, f"Ô {address}: dòng có số liệu nhưng không có mã chỉ tiêu."))
            continue
        if code not in printed and code not in _indicator_codes():
            values.append(
                _rejected_row(
                    *row_of, f"Dòng {row + 1}: mã chỉ tiêu '{code}' không có trong danh mục chỉ tiêu."
                )
            )
            continue
        actual = _number(actual_raw) if entered[0] else None
        numerator = _number(numerator_raw) if entered[1] else None
        denominator = _number(denominator_raw) if entered[2] else None
        if (
            (entered[0] and actual is None)
            or (entered[1] and numerator is None)
            or (entered[2] and denominator is None)
        ):
            issues += _not_numbers(sheet, row, columns, entered, (actual, numerator, denominator))
        untrusted, computed_by_excel = _formula_issues(sheet, row, entered_columns)
        issues += untrusted
        if issues:
            values.append(_rejected_row(*row_of, " ".join(issues)))
            continue
        is_percent = _is_percent(cell_text(unit_raw))
        computed = False
        if actual is None and numerator is not None and denominator is not None:
            if denominator == 0:
                values.append(
                    _rejected_row(
                        *row_of, f"Ô {cell_address(row, columns[layout.DENOMINATOR])}: mẫu số bằng 0."
                    )
                )
                continue
            actual, computed = (
                100.0 * numerator / denominator if is_percent else numerator / denominator,
                True,
            )
        if is_percent and actual is not None and 0 < actual <= 1 and not computed:
            if isinstance(actual_raw, float):
                percent_cells.append((len(values), row))
            elif "%" not in actual_raw:
                values.append(_rejected_row(*row_of, _fraction(address, actual)))
                continue
        if computed_by_excel:
            status = FLAGGED
            issues += computed_by_excel
        target_text = cell_text(target_raw)
        printed_target = printed.get(code)
        if code in printed and _target(target_text) != printed_target:
            status = FLAGGED
            planned = "kế hoạch không giao" if printed_target is None else f"kế hoạch giao {printed_target:g}"
            issues.append(
                f"Ô {cell_address(row, columns[layout.TARGET])}: chỉ tiêu kế hoạch bị sửa thành"
                f" '{target_text}' ({planned}); dùng chỉ tiêu của kế hoạch."
            )
        if actual is None:
            status = MISSING  # nothing to count, whatever else was wrong with the row (kept in issue)
        values.append(
            IndicatorValue(
                row=row + 1,
                indicator_code=code,
                is_percent=is_percent,
                target_text=target_text,
                printed_target=printed_target,
                actual_text=entered[0],
                actual_cell=address,
                actual_value=actual,
                numerator=numerator,
                denominator=denominator,
                is_computed=computed,
                row_status=status,
                issue=" ".join(issues) or None,
                note=note,
            )
        )
    for index, row in percent_cells:  # "97,5%" typed in a percent-formatted cell is stored as 0.975
        value = values[index]
        if (row, columns[layout.ACTUAL]) in sheet.percent:
            values[index] = replace(value, actual_value=value.actual_value * 100)
        else:  # 0.85 typed where 85 % was meant
            values[index] = replace(
                value,
                row_status=REJECTED,
                actual_value=None,
                issue=" ".join(filter(None, [value.issue, _fraction(value.actual_cell, value.actual_value)])),
            )
    return [_check_rate(value) for value in values]


def _not_numbers(
    sheet: Sheet,
    row: int,
    columns: dict[str, int],
    entered: list[str],
    parsed: tuple[float | None, float | None, float | None],
) -> list[str]:
    """What is wrong with each of a row's actual, numerator and denominator typed but not read as a number."""
    found = []
    for text, number, label in zip(
        entered, parsed, (layout.ACTUAL, layout.NUMERATOR, layout.DENOMINATOR), strict=True
    ):
        if text and number is None:
            at = cell_address(row, columns[label])
            found.append(
                f"Ô {at} báo lỗi {text}: công thức tính sai, hãy sửa công thức hoặc nhập số."
                if (row, columns[label]) in sheet.errors
                else f"Ô {at} ('{label}'): '{text}' không phải là số."
            )
    return found


def _fraction(address: str, value: float) -> str:
    return (
        f"Ô {address}: {plain(value)} trong dòng tính theo %: nếu là {plain(value * 100)} % hãy nhập"
        f" {plain(value * 100)}; nếu đúng là {plain(value)} % hãy nhập '{plain(value)} %'."
    )


def _row_reader(
    sheet: Sheet, columns: dict[str, int], labels: tuple[str, ...]
) -> Callable[[int, list[Cell]], Sequence[Cell]]:
    """(row, its cells) → the cells of `labels` in that row as the clerk left them, text stripped as a
    Sheet keeps it: a cached formula error (#DIV/0!, which reads as blank) as its text; blank for a column
    the table does not have. One call a row, not one a cell: the rules run over every row of tens of
    thousands of files."""
    picks = [columns.get(label) for label in labels]
    errors = sheet.errors

    def cell(row: int, column: int | None, cells: list[Cell]) -> Cell:
        if column is None:
            return ""
        if error := errors.get((row, column)):
            return error.strip()
        return cells[column] if column < len(cells) else ""

    def cells_of(row: int, cells: list[Cell]) -> Sequence[Cell]:
        return [cell(row, column, cells) for column in picks]

    if errors or None in picks or len(picks) < 2:
        return cells_of
    # the usual sheet, no cached error in it and every column there: the cells as they are, taken at once
    # (itemgetter of two or more gives a tuple)
    picked, width = itemgetter(*picks), max(picks) + 1
    return lambda row, cells: picked(cells) if len(cells) >= width else cells_of(row, cells)


_UNTRUSTED_FORMULA = re.compile(
    r"\b(?:HYPERLINK|INDIRECT|WEBSERVICE|FILTERXML|RTD|CALL|REGISTER|RAND|RANDBETWEEN|NOW|TODAY)\s*\(|[|\[]",
    re.IGNORECASE,
)


def _formula_issues(sheet: Sheet, row: int, columns: list[int]) -> tuple[list[str], list[str]]:
    """Formulas in cells a clerk should type: those whose value comes from outside the sheet or changes
    by itself (a link, another workbook, a DDE call, a random number) reject the row; any other is
    kept as Excel computed it, flagged."""
    untrusted: list[str] = []
    computed: list[str] = []
    if not sheet.formulas:
        return untrusted, computed
    for column in columns:
        formula = sheet.formulas.get((row, column))
        if formula is None:
            continue
        shown = f"={formula}" if formula else "công thức"
        address = cell_address(row, column)
        if _UNTRUSTED_FORMULA.search(formula):
            untrusted.append(
                f"Ô {address} chứa công thức '{shown}' lấy giá trị từ nơi khác: hãy nhập số trực tiếp."
            )
        else:
            computed.append(
                f"Ô {address} chứa công thức '{shown}': dùng giá trị Excel đã tính, hãy nhập số trực tiếp."
            )
    return untrusted, computed


def _check_rate(value: IndicatorValue) -> IndicatorValue:
    if value.row_status == REJECTED or value.actual_value is None:
        return value
    if value.actual_value < 0 or (value.is_percent and value.actual_value > 100):
        issue = f"Ô {value.actual_cell}: tỷ lệ {plain(value.actual_value)} % nằm ngoài 0-100 %."
        return replace(value, row_status=REJECTED, issue=" ".join(filter(None, [value.issue, issue])))
    return value


def _rejected_row(row, code, target, actual_text, address, note, issue) -> IndicatorValue:
    return IndicatorValue(
        row=row + 1,
        indicator_code=code,
        is_percent=False,
        target_text=cell_text(target).strip(),
        printed_target=None,
        actual_text=actual_text,
        actual_cell=address,
        actual_value=None,
        numerator=None,
        denominator=None,
        is_computed=False,
        row_status=REJECTED,
        issue=issue,
        note=note,
    )


_TASK_CELLS = (layout.TASK_CODE, layout.STATUS, layout.COMPLETED_ON, layout.STT, layout.NOTE)


def _task_statuses(sheet: Sheet, source: str, year: int) -> list[TaskStatus]:
    """The task rows of a report for a period of `year`."""
    header, columns = _header(
        sheet, layout.TASK_COLUMNS, (layout.TASK, layout.STATUS, layout.COMPLETED_ON), source
    )
    statuses = {_key(label): code for label, code in layout.STATUSES.items()}
    earliest, today = date(FIRST_YEAR, 1, 1), date.today()

    cells_of = _row_reader(sheet, columns, _TASK_CELLS)

    result: list[TaskStatus] = []
    for row, cells in sheet.rows(header + 1):
        code_raw, status_raw, done_raw, stt_raw, note_raw = cells_of(row, cells)
        code = cell_text(code_raw)
        status_text = cell_text(status_raw)
        done_text = cell_text(done_raw)
        if not code and not status_text and not done_text:
            continue  # blank rows, the plan's and its sections' headings, notes under the table
        note = cell_text(note_raw) or None
        address = cell_address(row, columns[layout.STATUS])
        status_code = statuses.get(_key(status_text)) if status_text else None
        completed = parse_date(done_text) if done_text else None
        done_address = cell_address(row, columns[layout.COMPLETED_ON])
        untrusted, computed_by_excel = _formula_issues(
            sheet, row, [columns[layout.STATUS], columns[layout.COMPLETED_ON]]
        )
        row_status, issue = ACCEPTED, None
        if untrusted:
            row_status, issue = REJECTED, " ".join(untrusted)
        elif not status_text:
            row_status = MISSING
        elif status_code is None:
            row_status = REJECTED
            choices = ", ".join(layout.STATUSES)
            issue = f"Ô {address}: tình trạng '{status_text}' không có trong danh sách ({choices})."
        elif done_text and completed is None:
            row_status = REJECTED
            issue = f"Ô {done_address}: '{cell_text(done_raw)}' không phải ngày (ngày/tháng/năm)."
        elif completed is not None and not earliest <= completed <= today:
            row_status = REJECTED
            issue = (
                f"Ô {done_address}: ngày hoàn thành {completed:%d/%m/%Y} không thể đúng (trước năm"
                f" {FIRST_YEAR} hoặc chưa tới): hãy sửa lại ngày."
            )
        elif words := _in_words(done_raw, done_address, completed):
            row_status, issue = FLAGGED, words
        elif completed is not None and completed.year > year:
            row_status = FLAGGED
            issue = (
                f"Ô {done_address}: ngày hoàn thành {completed:%d/%m/%Y} sau năm {year} của kỳ báo cáo:"
                " hãy kiểm tra lại ngày."
            )
        elif status_code == "done" and completed is None:
            row_status = FLAGGED
            issue = f"Ô {address}: đã hoàn thành nhưng chưa ghi ngày hoàn thành."
        if computed_by_excel and row_status == ACCEPTED:
            row_status, issue = FLAGGED, " ".join(computed_by_excel)
        if not code:
            row_status, issue = REJECTED, f"Dòng {row + 1}: nhiệm vụ thêm ngoài mẫu (không có mã nhiệm vụ)."
        result.append(
            TaskStatus(
                row + 1,
                code,
                cell_text(stt_raw),
                status_text,
                address,
                status_code,
                completed,
                row_status,
                issue,
                note,
            )
        )
    return result
