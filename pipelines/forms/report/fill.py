"""Fill a report template the way a clerk's Excel does (openpyxl): values typed into input cells.

Used by `cchc demo-reports` to write realistic sample submissions, and by tests to build real files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.report import layout


@dataclass
class Filling:
    submitter: str | None = None
    phone: str | None = None
    email: str | None = None
    reported_on: date | None = None
    # indicator code → what the clerk types in 'Kết quả thực hiện' (a number, or text such as "97,5 %")
    actuals: dict[str, float | str] = field(default_factory=dict)
    # indicator code → (numerator, denominator), typed instead of the actual
    parts: dict[str, tuple[float | str, float | str]] = field(default_factory=dict)
    # indicator code → a target typed over the printed one
    edited_targets: dict[str, float | str] = field(default_factory=dict)
    # task code → (status label, completion date or text)
    statuses: dict[str, tuple[str, date | str | None]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


Value = float | int | str | date


@dataclass(frozen=True)
class InputCells:
    """Where a template takes what a clerk types: label → address on the general sheet, and the column
    letter of each label and the row of each code on the indicators and tasks sheets."""

    general: dict[str, str]
    indicator_columns: dict[str, str]
    indicator_rows: dict[str, int]
    task_columns: dict[str, str]
    task_rows: dict[str, int]


def _columns(sheet: Worksheet, header_row: int = 3) -> dict[str, str]:
    return {cell.value: cell.column_letter for cell in sheet[header_row] if cell.value}


def _rows_by_code(sheet: Worksheet, code_column: str) -> dict[str, int]:
    return {
        sheet[f"{code_column}{row}"].value: row
        for row in range(4, sheet.max_row + 1)
        if sheet[f"{code_column}{row}"].value
    }


def input_cells(workbook: openpyxl.Workbook) -> InputCells:
    general = {
        row[0].value: row[1].coordinate
        for row in workbook[layout.GENERAL_SHEET].iter_rows(min_row=1)
        if row[0].value in (layout.SUBMITTER, layout.PHONE, layout.EMAIL, layout.REPORTED_ON)
    }
    indicators, tasks = workbook[layout.INDICATORS_SHEET], workbook[layout.TASKS_SHEET]
    indicator_columns, task_columns = _columns(indicators), _columns(tasks)
    return InputCells(
        general,
        indicator_columns,
        _rows_by_code(indicators, indicator_columns[layout.INDICATOR_CODE]),
        task_columns,
        _rows_by_code(tasks, task_columns[layout.TASK_CODE]),
    )


def typed_values(cells: InputCells, filling: Filling) -> dict[str, dict[str, Value]]:
    """Sheet name → {cell address: value} of what the clerk typed."""
    general = {
        cells.general[label]: value
        for label, value in (
            (layout.SUBMITTER, filling.submitter),
            (layout.PHONE, filling.phone),
            (layout.EMAIL, filling.email),
            (layout.REPORTED_ON, filling.reported_on),
        )
        if value is not None
    }
    columns, rows = cells.indicator_columns, cells.indicator_rows
    indicators: dict[str, Value] = {}
    for code, actual in filling.actuals.items():
        indicators[f"{columns[layout.ACTUAL]}{rows[code]}"] = actual
    for code, (numerator, denominator) in filling.parts.items():
        indicators[f"{columns[layout.NUMERATOR]}{rows[code]}"] = numerator
        indicators[f"{columns[layout.DENOMINATOR]}{rows[code]}"] = denominator
    for code, target in filling.edited_targets.items():
        indicators[f"{columns[layout.TARGET]}{rows[code]}"] = target
    for code, note in filling.notes.items():
        if code in rows:
            indicators[f"{columns[layout.NOTE]}{rows[code]}"] = note
    tasks: dict[str, Value] = {}
    for code, (status, completed) in filling.statuses.items():
        row = cells.task_rows[code]
        tasks[f"{cells.task_columns[layout.STATUS]}{row}"] = status
        if completed is not None:
            tasks[f"{cells.task_columns[layout.COMPLETED_ON]}{row}"] = completed
    return {layout.GENERAL_SHEET: general, layout.INDICATORS_SHEET: indicators, layout.TASKS_SHEET: tasks}


def fill_report(template: Path, out: Path, filling: Filling) -> Path:
    workbook = openpyxl.load_workbook(template)
    for sheet, values in typed_values(input_cells(workbook), filling).items():
        for address, value in values.items():
            workbook[sheet][address].value = value
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out
