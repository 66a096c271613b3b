"""Deadlines as plans write them: 'Quý III/2024', 'Trước ngày 14/3/2024', 'Thường xuyên', 'Khi có…'.

A cell may hold several parts ("Thường xuyên; riêng chức năng thanh toán trực tuyến trong quý I/2024"):
the deadline is the latest date the cell names, and the recurrence says what the rest of it is.
A date introduced by "từ" (from) starts the work rather than ending it, so it is not a deadline.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from pipelines.text.normalize import clean_text, fold
from pipelines.text.periods import quarter_number

_Q = r"(iv|iii|ii|i|[1-4])"
_YEAR = r"((?:19|20)\d{2})"
_SEP = r"\s*(?:/|-|nam)\s*"
_PARTS = re.compile(
    rf"(?P<from>\btu\s+)?(?:"
    rf"(?P<day>\d{{1,2}})\s*/\s*(?P<day_month>\d{{1,2}})\s*/\s*(?P<day_year>{_YEAR})"
    rf"|\bquy\s*{_Q}\s*[-–]\s*(?:quy\s*)?(?P<q_last>{_Q})\b(?:{_SEP}(?P<q_range_year>{_YEAR}))?"
    rf"|\bquy\s*(?P<q>{_Q})\b(?:{_SEP}(?P<q_year>{_YEAR}))?"
    rf"|\bthang\s*(?P<month>\d{{1,2}})\b(?:{_SEP}(?P<month_year>{_YEAR}))?"
    rf"|(?<!hang )\bnam\s+(?P<year>{_YEAR})"
    rf")"
)
# "Theo Kế hoạch số 45/KH-UBND ngày 22/01/2023": the date of a cited document, not a deadline.
_CITATION = re.compile(r"\bso\s+\d+\S*\s+ngay\s*$")
# Searched anywhere in the folded cell; the first kind in this order that occurs wins.
_RECURRENCES = (
    ("ongoing", re.compile(r"\bthuong xuyen\b")),
    ("monthly", re.compile(r"\bhang thang\b")),
    ("quarterly", re.compile(r"\bhang quy\b")),
    ("annual", re.compile(r"\bhang nam\b")),
    ("periodic", re.compile(r"\bdinh ky\b")),
    ("conditional", re.compile(r"\b(?:khi co|theo|sau khi)\b")),
)


@dataclass(frozen=True)
class Deadline:
    text: str
    due_on: date | None
    recurrence: str | None  # ongoing, monthly, quarterly, annual, periodic, conditional


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _due(match: re.Match[str], plan_year: int | None) -> date | None:
    def year(group: str) -> int | None:
        return int(match[group]) if match[group] else plan_year

    if match["day"]:
        return date(int(match["day_year"]), int(match["day_month"]), int(match["day"]))
    if match["q_last"]:
        y = year("q_range_year")
        return _end_of_month(y, 3 * quarter_number(match["q_last"])) if y else None
    if match["q"]:
        y = year("q_year")
        return _end_of_month(y, 3 * quarter_number(match["q"])) if y else None
    if match["month"]:
        y, month = year("month_year"), int(match["month"])
        return _end_of_month(y, month) if y and 1 <= month <= 12 else None
    return date(int(match["year"]), 12, 31)


# a narrow "Thời gian" column wraps a date inside its digits ("Trước ngày 15/02/202" + "3", "01/1" +
# "2/2024"): two runs of digits and slashes split by one space are one date when joined they make a
# date or a year (after "/" or "năm") and the first alone does not
_SPLIT = re.compile(r"(?P<left>[\d/]*\d) (?P<right>\d[\d/]*)")
_DATED = re.compile(r"/?(?:\d{1,2}/){0,2}(?:19|20)\d\d")


def _unwrapped(folded: str) -> str:
    position = 0
    while found := _SPLIT.search(folded, position):
        joined = found["left"] + found["right"]
        introduced = "/" in joined or folded[: found.start()].endswith(("nam ", "/ "))
        if introduced and _DATED.fullmatch(joined) and not _DATED.fullmatch(found["left"]):
            folded = folded[: found.start()] + joined + folded[found.end() :]
            position = found.start()
        else:
            position = found.start("right")
    return folded


# OCR reads the strokes of a quarter's Roman numeral as look-alikes: "I1", "1I" or "Il" for II, "IH" (H
# for II) for III; counted as strokes, they are the numeral again ("Quý I-IH/2024" is quarters I-III)
_QUARTER_TOKEN = r"[ivl1|!h]{1,3}"
_QUARTERS = re.compile(
    rf"\bquy\s*(?P<first>{_QUARTER_TOKEN})(?:(?P<dash>\s*[-–]\s*)(?P<last>{_QUARTER_TOKEN}))?(?![a-z0-9])"
)


def _quarter(token: str) -> str:
    if token in ("i", "ii", "iii", "iv") or "v" in token:
        return token
    strokes = sum(2 if letter == "h" else 1 for letter in token)
    return "i" * strokes if strokes <= 3 else token


def _strokes(match: re.Match[str]) -> str:
    last = f"{match['dash']}{_quarter(match['last'])}" if match["last"] else ""
    return f"quy {_quarter(match['first'])}{last}"


def parse_deadline(text: str, plan_year: int | None = None) -> Deadline:
    """Read a deadline cell. `plan_year` fills in a quarter or month written without its year."""
    cleaned = clean_text(text)
    folded = _QUARTERS.sub(_strokes, _unwrapped(" ".join(fold(cleaned).split())))
    dates: list[date] = []
    for match in _PARTS.finditer(folded):
        if match["from"] or _CITATION.search(folded[max(0, match.start() - 40) : match.start()]):
            continue
        try:
            due = _due(match, plan_year)
        except ValueError:  # an impossible day such as 31/02 is no deadline
            due = None
        if due is not None:
            dates.append(due)
    recurrence = next((kind for kind, pattern in _RECURRENCES if pattern.search(folded)), None)
    if recurrence is None and not dates and re.search(r"\btu\b", folded):
        recurrence = "ongoing"  # "Triển khai từ Quý I/2020": started then, carried on since
    return Deadline(text=cleaned, due_on=max(dates) if dates else None, recurrence=recurrence)
