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

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

import openpyxl

from pipelines.reports import layout
from pipelines.text.agencies import resolve_agency
from pipelines.text.normalize import fold, match_key
from pipelines.text.numbers import parse_number
from pipelines.text.periods import parse_period
from pipelines.text.reference import read_seed
from pipelines.workbooks import Cell, Sheet, WorkbookRejected, cell_address, cell_text, read_workbook

ACCEPTED, FLAGGED, REJECTED, MISSING = "accepted", "flagged", "rejected", "missing"
FIRST_YEAR = 2016
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})$")
_ISO_DATE = re.compile(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})")


class ReportRejected(Exception):
    """A report file that cannot be accepted; `reason` tells the clerk what to fix."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
    reported_on: date | None
    indicators: list[IndicatorValue] = field(default_factory=list)
    tasks: list[TaskStatus] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return " ".join(fold(text).replace("\n", " ").split())


def _number(value: Cell) -> float | None:
    if isinstance(value, float):
        return value
    return parse_number(value.replace("%", "")) if value.strip() else None


def _date(value: Cell) -> date | None:
    text = cell_text(value).strip()
    if match := _ISO_DATE.match(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DATE.match(text):
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return None


def _sheet(sheets: dict[str, Sheet], name: str, source: str) -> Sheet:
    found = {_key(sheet_name): sheet for sheet_name, sheet in sheets.items()}.get(_key(name))
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
    for row in range(min(len(sheet.rows), 30)):
        columns = {
            wanted[_key(cell_text(value))]: column
            for column, value in enumerate(sheet.rows[row])
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


def _meta(sheets: dict[str, Sheet]) -> tuple[dict[str, str], dict[str, float | None]]:
    sheet = sheets.get(layout.META_SHEET)
    if sheet is None:
        return {}, {}
    values: dict[str, str] = {}
    targets: dict[str, float | None] = {}
    in_targets = False
    for row in sheet.rows:
        cells = [cell_text(value).strip() for value in row] + ["", "", ""]
        if cells[0] == layout.META_TARGETS:
            in_targets = True
        elif in_targets and cells[0]:
            targets[cells[0]] = _number(row[2]) if len(row) > 2 else None
        elif cells[0]:
            values[cells[0]] = cells[1]
    return values, targets


def _general(sheet: Sheet) -> dict[str, Cell]:
    """Label → the value right of it, on the general-information sheet."""
    found: dict[str, Cell] = {}
    labels = {
        _key(label): label
        for label in (
            layout.AGENCY_NAME,
            layout.AGENCY_KEY,
            layout.PERIOD_LABEL,
            layout.SUBMITTER,
            layout.PHONE,
            layout.REPORTED_ON,
        )
    }
    for row in sheet.rows:
        for column, value in enumerate(row[:-1]):
            label = labels.get(_key(cell_text(value)))
            if label and label not in found:
                found[label] = row[column + 1]
    return found


@cache
def _indicator_codes() -> frozenset[str]:
    return frozenset(row["indicator_code"] for row in read_seed("indicators"))


@cache
def _known_agencies() -> frozenset[str]:
    # thousands of agencies since every commune reports: built once, not once per file
    return frozenset(row["agency_key"] for row in read_seed("agencies"))


def _identify(source: str, meta: dict[str, str], general: dict[str, Cell]) -> tuple[str, str]:
    """The agency and period the file is for: from the hidden block, checked against what is visible."""
    agency = meta.get(layout.META_AGENCY) or cell_text(general.get(layout.AGENCY_KEY, "")).strip()
    if not agency and (name := cell_text(general.get(layout.AGENCY_NAME, "")).strip()):
        agency = resolve_agency(name).agency_key or ""
    if not agency:
        raise ReportRejected(
            source, "Không xác định được cơ quan báo cáo: hãy dùng mẫu báo cáo do Sở Nội vụ gửi."
        )
    if agency not in _known_agencies():
        raise ReportRejected(
            source,
            f"Cơ quan '{agency}' không có trong danh mục cơ quan: hãy liên hệ Sở Nội vụ để được cấp mẫu.",
        )
    visible = cell_text(general.get(layout.PERIOD_LABEL, "")).strip()
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
    if (named := parse_period(Path(source).stem.replace("_", " ").replace("-", " "))) and named != period:
        raise ReportRejected(
            source,
            f"Tên tệp ghi kỳ {named} nhưng mẫu bên trong là của kỳ {period}: có lẽ đã dùng lại mẫu kỳ trước. "
            "Hãy tải mẫu của đúng kỳ báo cáo.",
        )
    return agency, period


def _open(path: Path, *names: str) -> dict[str, Sheet]:
    """The named sheets of a report (names as the template writes them; the clerk's may differ in case,
    accents or line breaks) and the hidden block."""
    keys = {_key(name) for name in names}
    try:
        workbook = read_workbook(path, lambda sheet: sheet == layout.META_SHEET or _key(sheet) in keys)
    except WorkbookRejected as rejection:
        raise ReportRejected(path.name, rejection.reason) from rejection
    return {sheet.name: sheet for sheet in workbook.sheets}


def identify_report(path: Path) -> tuple[str, str]:
    """The agency and period a report file is for; ReportRejected when it cannot be told."""
    sheets = _open(path, layout.GENERAL_SHEET)
    meta, _ = _meta(sheets)
    return _identify(path.name, meta, _general(_sheet(sheets, layout.GENERAL_SHEET, path.name)))


def planned_period(path: Path) -> str:
    """The period a report file is for, from its hidden block alone when it has one (the agency and
    general sheet otherwise), to group files into runs: the run's full read checks it against the rest."""
    meta, _ = _meta(_open(path))
    period = meta.get(layout.META_PERIOD, "")
    return period if period and parse_period(period) == period else identify_report(path)[1]


def read_report(path: Path) -> ReportReading:
    source = path.name
    sheets = _open(path, layout.GENERAL_SHEET, layout.INDICATORS_SHEET, layout.TASKS_SHEET)
    meta, printed_targets = _meta(sheets)
    general_sheet = _sheet(sheets, layout.GENERAL_SHEET, source)
    indicators_sheet = _sheet(sheets, layout.INDICATORS_SHEET, source)
    tasks_sheet = _sheet(sheets, layout.TASKS_SHEET, source)
    general = _general(general_sheet)
    agency, period = _identify(source, meta, general)
    version = meta.get(layout.META_VERSION)
    reading = ReportReading(
        source=source,
        template_version=version,
        agency_key=agency,
        period_key=period,
        submitter=cell_text(general.get(layout.SUBMITTER, "")).strip() or None,
        reported_on=_date(general.get(layout.REPORTED_ON, "")),
    )
    if version != layout.TEMPLATE_VERSION:
        reading.warnings.append(
            f"Tệp dùng mẫu phiên bản '{version or 'không rõ'}', mẫu hiện hành là {layout.TEMPLATE_VERSION}."
        )
    reading.indicators = _indicator_values(path, indicators_sheet, printed_targets, source)
    reading.tasks = _task_statuses(tasks_sheet, source)
    return reading


def _is_percent(unit_text: str) -> bool:
    return unit_text.strip() == "%" or match_key(unit_text) in {"percent", "ty le"}


def _indicator_values(
    path: Path, sheet: Sheet, printed: dict[str, float | None], source: str
) -> list[IndicatorValue]:
    header, columns = _header(
        sheet, layout.INDICATOR_COLUMNS, (layout.INDICATOR_CODE, layout.TARGET, layout.ACTUAL), source
    )

    def cell(row: int, label: str) -> Cell:
        return sheet.cell(row, columns[label]) if label in columns else ""

    values: list[IndicatorValue] = []
    percent_cells: list[tuple[int, int]] = []
    for row in range(header + 1, len(sheet.rows)):
        code = cell_text(cell(row, layout.INDICATOR_CODE)).strip()
        actual_raw = cell(row, layout.ACTUAL)
        numerator_raw, denominator_raw = cell(row, layout.NUMERATOR), cell(row, layout.DENOMINATOR)
        entered = [cell_text(v).strip() for v in (actual_raw, numerator_raw, denominator_raw)]
        note = cell_text(cell(row, layout.NOTE)).strip() or None
        if not any(entered) and (not code or code not in printed):
            continue  # blank rows, and notes a clerk wrote under the table
        address = cell_address(row, columns[layout.ACTUAL])
        issues: list[str] = []
        status = ACCEPTED
        if not code:
            values.append(
                _rejected_row(
                    row,
                    "",
                    cell(row, layout.TARGET),
                    entered[0],
                    address,
                    note,
                    f"Ô {address}: dòng có số liệu nhưng không có mã chỉ tiêu.",
                )
            )
            continue
        if code not in printed and code not in _indicator_codes():
            values.append(
                _rejected_row(
                    row,
                    code,
                    cell(row, layout.TARGET),
                    entered[0],
                    address,
                    note,
                    f"Dòng {row + 1}: mã chỉ tiêu '{code}' không có trong danh mục chỉ tiêu.",
                )
            )
            continue
        actual = _number(actual_raw) if entered[0] else None
        numerator = _number(numerator_raw) if entered[1] else None
        denominator = _number(denominator_raw) if entered[2] else None
        for text, parsed, label in zip(
            entered,
            (actual, numerator, denominator),
            (layout.ACTUAL, layout.NUMERATOR, layout.DENOMINATOR),
            strict=True,
        ):
            if text and parsed is None:
                issues.append(
                    f"Ô {cell_address(row, columns[label])} ('{label}'): '{text}' không phải là số."
                )
        if issues:
            values.append(
                _rejected_row(
                    row, code, cell(row, layout.TARGET), entered[0], address, note, " ".join(issues)
                )
            )
            continue
        is_percent = _is_percent(cell_text(cell(row, layout.UNIT)))
        computed = False
        if actual is None and numerator is not None and denominator is not None:
            if denominator == 0:
                values.append(
                    _rejected_row(
                        row,
                        code,
                        cell(row, layout.TARGET),
                        entered[0],
                        address,
                        note,
                        f"Ô {cell_address(row, columns[layout.DENOMINATOR])}: mẫu số bằng 0.",
                    )
                )
                continue
            actual, computed = (
                100.0 * numerator / denominator if is_percent else numerator / denominator,
                True,
            )
        if (
            is_percent
            and isinstance(actual_raw, float)
            and actual is not None
            and 0 < actual <= 1
            and not computed
        ):
            percent_cells.append((len(values), row))
        target_text = cell_text(cell(row, layout.TARGET)).strip()
        printed_target = printed.get(code)
        if code in printed and _number(target_text.lstrip("≥≤=<> ")) != printed_target:
            status = FLAGGED
            issues.append(
                f"Ô {cell_address(row, columns[layout.TARGET])}: chỉ tiêu kế hoạch bị sửa thành"
                f" '{target_text}' (kế hoạch giao {printed_target:g}); dùng chỉ tiêu của kế hoạch."
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
    for index in _stored_as_fraction(path, sheet.name, percent_cells, columns[layout.ACTUAL]):
        values[index] = replace(values[index], actual_value=values[index].actual_value * 100)
    return [_check_rate(value) for value in values]


def _stored_as_fraction(path: Path, sheet_name: str, candidates: list[tuple[int, int]], column: int):
    """Which of the candidate cells Excel stores as a fraction with a percent format ("97,5%" → 0.975)."""
    if not candidates or path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return []
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = workbook[sheet_name]
        formats = {row: sheet.cell(row=row + 1, column=column + 1).number_format for _, row in candidates}
    finally:
        workbook.close()
    return [index for index, row in candidates if "%" in (formats.get(row) or "")]


def _check_rate(value: IndicatorValue) -> IndicatorValue:
    if value.row_status == REJECTED or value.actual_value is None:
        return value
    if value.actual_value < 0 or (value.is_percent and value.actual_value > 100):
        issue = f"Ô {value.actual_cell}: tỷ lệ {value.actual_value:g} % nằm ngoài 0-100 %."
        return IndicatorValue(
            **{
                **value.__dict__,
                "row_status": REJECTED,
                "issue": " ".join(filter(None, [value.issue, issue])),
            }
        )
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


def _task_statuses(sheet: Sheet, source: str) -> list[TaskStatus]:
    header, columns = _header(
        sheet, layout.TASK_COLUMNS, (layout.TASK, layout.STATUS, layout.COMPLETED_ON), source
    )
    statuses = {_key(label): code for label, code in layout.STATUSES.items()}

    def cell(row: int, label: str) -> Cell:
        return sheet.cell(row, columns[label]) if label in columns else ""

    result: list[TaskStatus] = []
    for row in range(header + 1, len(sheet.rows)):
        code = cell_text(cell(row, layout.TASK_CODE)).strip()
        task = cell_text(cell(row, layout.TASK)).strip()
        status_text = cell_text(cell(row, layout.STATUS)).strip()
        done_raw = cell(row, layout.COMPLETED_ON)
        note = cell_text(cell(row, layout.NOTE)).strip() or None
        if not (code or task) and not status_text:
            continue
        address = cell_address(row, columns[layout.STATUS])
        status_code = statuses.get(_key(status_text)) if status_text else None
        completed = _date(done_raw)
        row_status, issue = ACCEPTED, None
        if not status_text:
            row_status = MISSING
        elif status_code is None:
            row_status = REJECTED
            choices = ", ".join(layout.STATUSES)
            issue = f"Ô {address}: tình trạng '{status_text}' không có trong danh sách ({choices})."
        elif cell_text(done_raw).strip() and completed is None:
            row_status = REJECTED
            done_address = cell_address(row, columns[layout.COMPLETED_ON])
            issue = f"Ô {done_address}: '{cell_text(done_raw)}' không phải ngày (ngày/tháng/năm)."
        elif status_code == "done" and completed is None:
            row_status = FLAGGED
            issue = f"Ô {address}: đã hoàn thành nhưng chưa ghi ngày hoàn thành."
        if not code:
            row_status, issue = REJECTED, f"Dòng {row + 1}: nhiệm vụ thêm ngoài mẫu (không có mã nhiệm vụ)."
        result.append(
            TaskStatus(
                row + 1,
                code,
                cell_text(cell(row, layout.STT)).strip(),
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
