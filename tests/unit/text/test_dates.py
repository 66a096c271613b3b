"""Dates as clerks type them: with slashes, dots or dashes, as a date cell reads, in words; an impossible
day is no date."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.text.dates import is_in_words, parse_date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("14/09/2024", date(2024, 9, 14)),
        ("4.9.2024", date(2024, 9, 4)),
        ("14-9-2024", date(2024, 9, 14)),
        ("2024-09-14T00:00:00", date(2024, 9, 14)),
        ("ngày 16 tháng 9 năm 2024", date(2024, 9, 16)),
        ("Ngày 16, tháng 9, năm 2024", date(2024, 9, 16)),
        ("31/02/2024", None),
        ("2024-02-31", None),
        ("quý III/2024", None),
        ("", None),
    ],
)
def test_a_typed_date_is_read_or_is_none(text, day):
    assert parse_date(text) == day


def test_words_are_told_apart_from_figures():
    assert is_in_words("ngày 16 tháng 9 năm 2024") and not is_in_words("16/09/2024")
