"""Cells a person fills: a date between two years, points between 0 and a maximum (decimal comma in the
prompt), and protection that leaves only unlocked cells open."""

from __future__ import annotations

import openpyxl

from pipelines.forms.inputs import date_rule, points_rule, protect


def test_a_date_rule_spans_whole_years_and_says_how_to_type_a_date():
    rule = date_rule(2023, 2025, "D5:D9")
    assert (rule.type, rule.formula1, rule.formula2, str(rule.sqref)) == (
        "date",
        "DATE(2023,1,1)",
        "DATE(2025,12,31)",
        "D5:D9",
    )
    assert rule.prompt == "Ngày/tháng/năm, ví dụ 14/09/2025."


def test_points_go_from_zero_to_the_maximum_and_the_prompt_writes_it_as_people_do():
    rule = points_rule(1.5)
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("decimal", "between", "0", "1.5")
    assert rule.prompt == "Một số từ 0 đến 1,5, ví dụ 0,5."


def test_protection_locks_the_sheet_but_lets_columns_widen():
    sheet = openpyxl.Workbook().active
    protect(sheet)
    assert sheet.protection.sheet and not sheet.protection.formatColumns and not sheet.protection.formatRows
