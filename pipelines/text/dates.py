"""Dates as clerks type them in a cell: 14/09/2024, 14.9.2024, 2024-09-14 (what a spreadsheet's date
cell reads as), or in words as in a letter, "ngày 16 tháng 9 năm 2024"."""

from __future__ import annotations

import re
from datetime import date

from pipelines.text.normalize import fold

_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})$")
_DATE_IN_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam\s*)?((?:19|20)\d{2})$")
_ISO_DATE = re.compile(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})")


def is_in_words(text: str) -> bool:
    """The date is written in words ("ngày 16 tháng 9 năm 2024")."""
    return _words(text) is not None


def _words(text: str) -> re.Match[str] | None:
    return _DATE_IN_WORDS.match(" ".join(fold(text).replace(",", " ").split()))


def parse_date(text: str) -> date | None:
    """The day a cell's text names, or None (no date, or one that does not exist: 31/02/2024)."""
    text = text.strip()
    if match := _ISO_DATE.match(text):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    if match := _DATE.match(text) or _words(text):
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return None
