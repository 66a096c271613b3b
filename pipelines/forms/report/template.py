"""Write the Excel template an agency fills for one reporting period (openpyxl).

Four visible sheets in Vietnamese (instructions, general information, indicators, tasks) and one
very hidden block that says which template version, agency and period the file is for, and which
targets were printed, so ingestion never guesses and notices a target changed by hand. Inputs are
unlocked and validated; everything else is locked, and the workbook's structure too, so sheets cannot
be renamed or deleted (protection without a password: it guards against slips, not against a clerk
who means it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.cells import put
from pipelines.forms.inputs import date_rule, protect
from pipelines.forms.report import layout
from pipelines.forms.report.layout import FIRST_YEAR
from pipelines.forms.rows import fit_rows
from pipelines.forms.styles import (
    BOLD,
    BORDER,
    HEADING_FILL,
    INPUT_FILL,
    UNLOCKED,
    WRAP,
    print_on_a4,
    save,
    set_widths,
)

_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    unit: str | None
    target: float | None
    comparator: str | None
    is_rate: bool
    source: str  # the plan the target comes from, as a clerk knows it ("KH 300/KH-UBND")
    plan_target_key: str
    area: str | None = None  # the PAR Index field (lĩnh vực) it is grouped under


@dataclass(frozen=True)
class TaskLine:
    code: str  # plan_task_key
    stt: str
    task: str
    deadline: str | None
    output: str | None = None  # Kết quả/Sản phẩm the plan expects
    plan: str | None = None  # the plan it comes from ("300/KH-UBND")
    section: str | None = None  # the plan's section heading it sits under, as written


@dataclass(frozen=True)
class ReportForm:
    agency_key: str
    agency_name: str
    period_key: str
    period_label: str
    indicators: tuple[IndicatorLine, ...]
    tasks: tuple[TaskLine, ...]
    # what the clerk must know to fill it: the figures' window, whether they add up from January, the
    # due date and who receives it (from dim_period and the province's Sở Nội vụ)
    cutoff: tuple[date, date] | None = None
    is_cumulative: bool | None = None
    due_on: date | None = None
    recipient: str | None = None


UNIT_LABELS = {"percent": "%"}
_COMPARATOR_WORDS = {">=": "≥", "<=": "≤", "=": "", ">": ">", "<": "<"}


def target_text(line: IndicatorLine) -> str:
    if line.target is None:
        return ""
    value = f"{line.target:g}".replace(".", ",")
    prefix = _COMPARATOR_WORDS.get(line.comparator or "", "")
    return f"{prefix} {value}{' %' if line.unit == 'percent' else ''}".strip()


def write_template(form: ReportForm, path: Path) -> Path:
    workbook = Workbook()
    _instructions(workbook.active, form)
    _general(workbook.create_sheet(layout.GENERAL_SHEET), form)
    _indicators(workbook.create_sheet(layout.INDICATORS_SHEET), form)
    _tasks(workbook.create_sheet(layout.TASKS_SHEET), form)
    _meta(workbook.create_sheet(layout.META_SHEET), form)
    # sheets cannot be renamed, deleted, moved or unhidden (no password: it guards against slips)
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.active = 1
    return save(workbook, path)


def _header(sheet: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = put(sheet.cell(row=row, column=column), label)
        cell.fill, cell.font, cell.border = _HEADER_FILL, _HEADER_FONT, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[row].height = 32


def _title(sheet: Worksheet, text: str) -> None:
    put(sheet.cell(row=1, column=1), text).font = Font(bold=True, size=13, color="1F4E78")


Line = tuple[dict[str, object], set[str]] | str


def _table(sheet: Worksheet, labels: tuple[str, ...], lines: list[Line]) -> dict:
    """Header on row 3, then one row per line: (values by label, labels that are inputs), or a heading
    (a field, a plan, a plan's section) across the table; label → column."""
    _header(sheet, 3, labels)
    columns = {label: index for index, label in enumerate(labels, start=1)}
    for row, line in enumerate(lines, start=4):
        if isinstance(line, str):
            cell = put(sheet.cell(row=row, column=1), line)
            cell.font, cell.fill, cell.alignment = BOLD, HEADING_FILL, WRAP
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(labels))
            continue
        values, inputs = line
        for label, column in columns.items():
            cell = put(sheet.cell(row=row, column=column), values.get(label))
            cell.border, cell.alignment = BORDER, WRAP
            cell.fill = INPUT_FILL if label in inputs else _LOCKED_FILL
            if label in inputs:
                cell.protection = UNLOCKED
    return columns


def _rows_of(lines: list[Line]) -> list[int]:
    """The sheet rows of the lines that are not headings."""
    return [row for row, line in enumerate(lines, start=4) if not isinstance(line, str)]


def _roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text, number = text + numeral, number - value
    return text


def _finish_table(sheet: Worksheet, widths: list[float], code_column: int) -> None:
    set_widths(sheet, widths)
    # the row's key in the warehouse: kept for the reader, hidden from the clerk
    sheet.column_dimensions[get_column_letter(code_column)].hidden = True
    fit_rows(sheet, 4)
    sheet.freeze_panes = "D4"
    sheet.print_title_rows = "3:3"
    print_on_a4(sheet)
    protect(sheet)


def _instructions(sheet: Worksheet, form: ReportForm) -> None:
    sheet.title = layout.INSTRUCTIONS_SHEET
    lines = [
        f"BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH — {form.period_label.upper()}",
        f"Cơ quan: {form.agency_name}",
        "",
        "Cách điền:",
        f"1. Trang '{layout.GENERAL_SHEET}': điền người lập báo cáo, số điện thoại và ngày báo cáo"
        " (ô màu vàng).",
        f"2. Trang '{layout.INDICATORS_SHEET}': điền '{layout.ACTUAL}' cho từng chỉ tiêu. Với chỉ tiêu"
        f" tỷ lệ (%), có thể điền '{layout.NUMERATOR}' và '{layout.DENOMINATOR}' thay cho kết quả:"
        " hệ thống tự tính tỷ lệ.",
        "   Số thập phân dùng dấu phẩy (97,5). Không sửa cột 'Chỉ tiêu kế hoạch': chỉ tiêu lấy từ"
        " kế hoạch đã ban hành.",
        f"3. Trang '{layout.TASKS_SHEET}': chọn '{layout.STATUS}' trong danh sách; nếu đã hoàn thành,"
        " ghi ngày hoàn thành.",
        "4. Không đổi tên, không xóa các trang tính. Có thể thêm ghi chú ở cột 'Ghi chú'.",
        "5. Gửi lại tệp .xlsx này (không chuyển sang PDF). Nếu cần sửa, gửi bản mới:"
        " bản sau thay thế bản trước.",
        "",
        "Số liệu tính theo kỳ chốt của Nghị định 09/2019/NĐ-CP; hạn gửi báo cáo là ngày 20"
        " của tháng cuối kỳ.",
    ]
    for row, text in enumerate(lines, start=1):
        cell = put(sheet.cell(row=row, column=1), text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14, color="1F4E78")
    sheet["A2"].font = Font(bold=True)
    sheet["A4"].font = Font(bold=True)
    set_widths(sheet, [70])
    fit_rows(sheet, 1)
    print_on_a4(sheet, landscape=False)
    protect(sheet)


def _period_rows(form: ReportForm) -> list[tuple[str, str, bool]]:
    """The window, the kind of figures, the due date and the recipient, as far as they are known."""
    rows = []
    if form.cutoff:
        rows.append((layout.CUTOFF, f"từ {form.cutoff[0]:%d/%m/%Y} đến {form.cutoff[1]:%d/%m/%Y}", False))
    if form.is_cumulative is not None:
        figures = "lũy kế từ đầu năm đến hết kỳ" if form.is_cumulative else "của riêng kỳ báo cáo"
        rows.append((layout.FIGURES, figures, False))
    if form.due_on:
        rows.append((layout.DUE_ON, f"{form.due_on:%d/%m/%Y}", False))
    if form.recipient:
        rows.append((layout.RECIPIENT, form.recipient, False))
    return rows


def _general(sheet: Worksheet, form: ReportForm) -> None:
    rows = [
        (layout.AGENCY_NAME, form.agency_name, False),
        (layout.AGENCY_KEY, form.agency_key, False),
        (layout.PERIOD_LABEL, form.period_label, False),
        *_period_rows(form),
        (layout.SUBMITTER, None, True),
        (layout.PHONE, None, True),
        (layout.EMAIL, None, True),
        (layout.REPORTED_ON, None, True),
    ]
    _title(sheet, "THÔNG TIN CHUNG")
    for offset, (label, value, is_input) in enumerate(rows, start=3):
        label_cell = put(sheet.cell(row=offset, column=1), label)
        label_cell.font, label_cell.border = Font(bold=True), BORDER
        cell = put(sheet.cell(row=offset, column=2), value)
        cell.border, cell.alignment = BORDER, WRAP
        cell.fill = INPUT_FILL if is_input else _LOCKED_FILL
        if is_input:
            cell.protection = UNLOCKED
    date_cell = f"B{3 + len(rows) - 1}"
    sheet[date_cell].number_format = "DD/MM/YYYY"
    year = int(form.period_key[:4])
    sheet.add_data_validation(date_rule(year, year + 1, date_cell))  # an annual report is sent in January
    set_widths(sheet, [24, 60])
    print_on_a4(sheet, landscape=False)
    protect(sheet)


def _indicator_lines(form: ReportForm) -> list[Line]:
    """The indicators under a heading per field (I, II, … in the order given), numbered throughout."""
    lines: list[Line] = []
    area: str | None = None
    fields = 0
    for position, line in enumerate(form.indicators, start=1):
        if line.area and line.area != area:
            area, fields = line.area, fields + 1
            lines.append(f"{_roman(fields)}. {area}")
        values = {
            layout.STT: position,
            layout.INDICATOR_CODE: line.code,
            layout.INDICATOR_NAME: line.name,
            layout.UNIT: UNIT_LABELS.get(line.unit or "", line.unit or ""),
            layout.TARGET: target_text(line),
            layout.TARGET_SOURCE: line.source,
        }
        inputs = {layout.ACTUAL, layout.NOTE}
        if line.is_rate:  # numerator and denominator only where the indicator is a rate
            inputs |= {layout.NUMERATOR, layout.DENOMINATOR}
        lines.append((values, inputs))
    return lines


def _indicators(sheet: Worksheet, form: ReportForm) -> None:
    _title(sheet, f"KẾT QUẢ THỰC HIỆN CHỈ TIÊU — {form.period_label}")
    lines = _indicator_lines(form)
    rows = _rows_of(lines)
    columns = _table(sheet, layout.INDICATOR_COLUMNS, lines)
    figures = {True: "số lũy kế từ đầu năm", False: "số của kỳ"}.get(form.is_cumulative, "số liệu")
    number = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error="Hãy nhập một số không âm (dùng dấu phẩy cho phần thập phân, ví dụ 97,5).",
        showInputMessage=True,
        promptTitle="Nhập một số",
        prompt=f"Nhập {figures}, chỉ số, không kèm chữ hay dấu %.",
    )
    rate = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        showErrorMessage=True,
        errorTitle="Tỷ lệ không hợp lệ",
        error="Tỷ lệ là một số từ 0 đến 100 (ví dụ 97,5).",
        showInputMessage=True,
        promptTitle="Nhập tỷ lệ %",
        prompt=f"Nhập {figures}: một số từ 0 đến 100, không kèm dấu % (ví dụ 97,5).",
    )
    actual = get_column_letter(columns[layout.ACTUAL])
    for row, line in zip(rows, form.indicators, strict=True):
        (rate if line.is_rate else number).add(f"{actual}{row}")
        if line.is_rate:
            for label in (layout.NUMERATOR, layout.DENOMINATOR):
                number.add(f"{get_column_letter(columns[label])}{row}")
    sheet.add_data_validation(number)
    sheet.add_data_validation(rate)
    # one A4 landscape page wide at 8 pt or more: long labels wrap, the rows grow
    _finish_table(sheet, [5, 26, 44, 8, 12, 12, 10, 10, 18, 16], columns[layout.INDICATOR_CODE])


def _task_lines(form: ReportForm) -> list[Line]:
    """The tasks under their plan and the plan's section headings, with the plan's own STT."""
    lines: list[Line] = []
    plan: str | None = None
    section: str | None = None
    for line in form.tasks:
        if line.plan and line.plan != plan:
            plan, section = line.plan, None
            lines.append(f"Kế hoạch {plan}")
        if line.section and line.section != section:
            section = line.section
            lines.append(section)
        values = {
            layout.STT: line.stt,
            layout.TASK_CODE: line.code,
            layout.TASK: line.task,
            layout.TASK_OUTPUT: line.output or "",
            layout.DEADLINE: line.deadline or "",
        }
        lines.append((values, {layout.STATUS, layout.COMPLETED_ON, layout.NOTE}))
    return lines


def _tasks(sheet: Worksheet, form: ReportForm) -> None:
    _title(sheet, f"TÌNH HÌNH THỰC HIỆN NHIỆM VỤ — {form.period_label}")
    lines = _task_lines(form)
    columns = _table(sheet, layout.TASK_COLUMNS, lines)
    status = get_column_letter(columns[layout.STATUS])
    done = get_column_letter(columns[layout.COMPLETED_ON])
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(layout.STATUSES) + '"',
        showErrorMessage=True,
        errorTitle="Tình trạng không hợp lệ",
        error="Hãy chọn một tình trạng trong danh sách.",
        showInputMessage=True,
        promptTitle="Chọn tình trạng",
        prompt="Chọn trong danh sách; nếu Hoàn thành thì nhập ngày hoàn thành ở cột bên cạnh.",
    )
    # done in the plan's earlier years, or in the period's year: never after it
    dates = date_rule(FIRST_YEAR, int(form.period_key[:4]))
    for row in _rows_of(lines):
        sheet[f"{done}{row}"].number_format = "DD/MM/YYYY"
        choices.add(f"{status}{row}")
        dates.add(f"{done}{row}")
    sheet.add_data_validation(choices)
    sheet.add_data_validation(dates)
    _finish_table(sheet, [5, 26, 44, 26, 12, 14, 12, 20], columns[layout.TASK_CODE])


def _meta(sheet: Worksheet, form: ReportForm) -> None:
    rows: list[list] = [
        [layout.META_VERSION, layout.TEMPLATE_VERSION],
        [layout.META_AGENCY, form.agency_key],
        [layout.META_PERIOD, form.period_key],
        [layout.META_GENERATED, datetime.now(UTC).replace(microsecond=0).isoformat()],
        [layout.META_TARGETS],
    ]
    rows += [[line.code, line.plan_target_key, line.target] for line in form.indicators]
    for row in rows:
        sheet.append(row)
    sheet.sheet_state = "veryHidden"
    protect(sheet)
