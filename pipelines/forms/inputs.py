"""Cells a person fills in a form: the rules that keep a typed value in bounds (a date between two
years, a number between 0 and a maximum) with the prompt that says what to type, and the sheet
protection that leaves only those cells open."""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.labels import plain


def date_rule(first_year: int, last_year: int, *ranges: str) -> DataValidation:
    """Dates from 1 January of `first_year` to 31 December of `last_year`, typed as dates."""
    rule = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({first_year},1,1)",
        formula2=f"DATE({last_year},12,31)",
        showErrorMessage=True,
        showInputMessage=True,
        promptTitle="Nhập ngày",
        prompt=f"Ngày/tháng/năm, ví dụ 14/09/{last_year}.",
        errorTitle="Ngày không hợp lệ",
        error=(
            f"Hãy nhập ngày theo dạng ngày/tháng/năm, từ năm {first_year} đến hết năm {last_year},"
            f" ví dụ 14/09/{last_year}."
        ),
    )
    for cells in ranges:
        rule.add(cells)
    return rule


def points_rule(maximum: float) -> DataValidation:
    """A score from 0 to `maximum` points, decimals allowed."""
    return DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=f"{maximum:g}",
        showErrorMessage=True,
        showInputMessage=True,
        promptTitle="Nhập điểm",
        prompt=f"Một số từ 0 đến {plain(maximum)}, ví dụ 0,5.",
        errorTitle="Điểm không hợp lệ",
        error=f"Điểm phải là một số từ 0 đến {plain(maximum)}.",
    )


def protect(sheet: Worksheet) -> None:
    """Lock every cell not marked UNLOCKED (no password: it guards against slips); columns may still be
    widened and rows heightened."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
