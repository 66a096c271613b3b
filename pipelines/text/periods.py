"""Statutory reporting periods: keys like '2024-Q3' and the labels people write for them.

The four report kinds (quý I, 6 tháng, quý III, năm) and their cut-off windows are data in
dbt/seeds/report_kinds.csv; dim_period is built from it. This module only reads labels.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pipelines.text.normalize import fold
from pipelines.text.reference import read_seed

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def quarter_number(token: str) -> int:
    """'iii' or '3' → 3 (folded Roman or Arabic quarter numeral)."""
    return _ROMAN.get(token) or int(token)


_YEAR = r"(?P<year>(?:19|20)\d{2})"
_SEP = r"\s*(?:/|-|nam|,)?\s*"
_QUARTER = re.compile(rf"\b(?:quy|q)\s*(?P<q>iv|iii|ii|i|[1-4])\b{_SEP}{_YEAR}")
_HALF = re.compile(rf"\b(?:0?6|sau)\s*thang(?:\s*dau)?{_SEP}{_YEAR}")
_YEARLY = re.compile(rf"^(?:bao\s*cao\s*)?(?:ca\s*)?nam{_SEP}{_YEAR}$")
_KEY = re.compile(rf"^{_YEAR}-(?P<kind>Q1|H1|Q3|FY)$", re.IGNORECASE)


def report_kinds() -> tuple[str, ...]:
    return tuple(row["report_kind"] for row in read_seed("report_kinds"))


def period_key(year: int, kind: str) -> str:
    if kind not in report_kinds():
        raise ValueError(f"unknown report kind {kind!r}; expected one of {report_kinds()}")
    return f"{year}-{kind}"


def parse_period(text: str) -> str | None:
    """The period key a label names, or None when it names no statutory reporting period.

    'Quý III/2024' → '2024-Q3'; '6 tháng đầu năm 2024' → '2024-H1'; 'Năm 2024' → '2024-FY'.
    Quý II and quý IV are not reporting periods (their reports are the 6-month and annual ones).
    """
    stripped = text.strip()
    if match := _KEY.match(stripped):
        return period_key(int(match["year"]), match["kind"].upper())
    folded = " ".join(fold(stripped).split())
    if match := _HALF.search(folded):
        return period_key(int(match["year"]), "H1")
    if match := _QUARTER.search(folded):
        quarter = quarter_number(match["q"])
        kind = {1: "Q1", 3: "Q3"}.get(quarter)
        return period_key(int(match["year"]), kind) if kind else None
    if match := _YEARLY.match(folded):
        return period_key(int(match["year"]), "FY")
    return None


def period_due_before(day: date) -> str | None:
    """The period whose report was due the day before `day` (the report_kinds seed's due dates), if any:
    2024-09-21 → '2024-Q3'."""
    previous = day - timedelta(days=1)
    for row in read_seed("report_kinds"):
        if (int(row["due_month"]), int(row["due_day"])) == (previous.month, previous.day):
            return period_key(previous.year, row["report_kind"])
    return None


def days_after_due() -> dict[int, list[int]]:
    """Day of the month after a report's due date → the months it falls in, from the report_kinds
    seed: {21: [3, 6, 9, 12]} for reports due on the 20th."""
    days: dict[int, list[int]] = {}
    for row in read_seed("report_kinds"):
        after = date(2001, int(row["due_month"]), int(row["due_day"])) + timedelta(days=1)
        days.setdefault(after.day, []).append(after.month)
    return {day: sorted(set(months)) for day, months in sorted(days.items())}
