"""Fill a report template the way a clerk's Excel does (openpyxl): values typed into input cells.

Used by `cchc demo-reports` to write realistic sample submissions, and by tests to build real files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.reports import layout


@dataclass
class Filling:
    submitter: str | None = None
    phone: str | None = None
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


def _columns(sheet: Worksheet, header_row: int = 3) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[header_row] if cell.value}


def _rows_by_code(sheet: Worksheet, code_column: int) -> dict[str, int]:
    return {
        sheet.cell(row=row, column=code_column).value: row
        for row in range(4, sheet.max_row + 1)
        if sheet.cell(row=row, column=code_column).value
    }


def fill_report(template: Path, out: Path, filling: Filling) -> Path:
    workbook = openpyxl.load_workbook(template)
    general = workbook[layout.GENERAL_SHEET]
    for row in general.iter_rows(min_row=1):
        label = row[0].value
        value = {
            layout.SUBMITTER: filling.submitter,
            layout.PHONE: filling.phone,
            layout.REPORTED_ON: filling.reported_on,
        }.get(label)
        if value is not None:
            row[1].value = value

    indicators = workbook[layout.INDICATORS_SHEET]
    columns = _columns(indicators)
    rows = _rows_by_code(indicators, columns[layout.INDICATOR_CODE])
    for code, actual in filling.actuals.items():
        indicators.cell(row=rows[code], column=columns[layout.ACTUAL], value=actual)
    for code, (numerator, denominator) in filling.parts.items():
        indicators.cell(row=rows[code], column=columns[layout.NUMERATOR], value=numerator)
        indicators.cell(row=rows[code], column=columns[layout.DENOMINATOR], value=denominator)
    for code, target in filling.edited_targets.items():
        indicators.cell(row=rows[code], column=columns[layout.TARGET], value=target)
    for code, note in filling.notes.items():
        if code in rows:
            indicators.cell(row=rows[code], column=columns[layout.NOTE], value=note)

    tasks = workbook[layout.TASKS_SHEET]
    task_columns = _columns(tasks)
    task_rows = _rows_by_code(tasks, task_columns[layout.TASK_CODE])
    for code, (status, completed) in filling.statuses.items():
        tasks.cell(row=task_rows[code], column=task_columns[layout.STATUS], value=status)
        if completed is not None:
            tasks.cell(row=task_rows[code], column=task_columns[layout.COMPLETED_ON], value=completed)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out
