"""What a target's words mean: the comparator of a figure, from the table of wordings
(dbt/seeds/target_wordings.csv) or, where the plan says none, from its indicator's direction.

"đạt tối thiểu 80%" is at least 80; "không quá 2%" at most 2; a bare "90% hồ sơ được giải quyết đúng hạn"
is a floor too, because more is better for that rate: plans say a ceiling in words, and exactly almost
never.
"""

from __future__ import annotations

import re
from functools import cache

from pipelines.text.normalize import fold
from pipelines.text.reference import read_seed

# a bare figure, by the direction of what it measures; exactly only when the direction is unknown
_BY_DIRECTION = {"higher": ">=", "lower": "<="}


@cache
def _wordings() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """(pattern, where it is looked for: before or after, comparator), in the table's order."""
    rules = []
    for row in read_seed("target_wordings"):
        words = re.escape(fold(row["wording"]))
        if row["place"] == "after":
            rules.append((re.compile(rf"^\s*{words}\b"), "after", row["comparator"]))
        else:
            rules.append(
                (re.compile(rf"\b{words}\b[^%]{{0,{int(row['reach'])}}}$"), "before", row["comparator"])
            )
    return tuple(rules)


def stated_comparator(before: str, after: str) -> str | None:
    """The comparator the words around a figure state (`before` and `after` folded), or None when they
    state none."""
    for pattern, place, comparator in _wordings():
        if pattern.search(before if place == "before" else after):
            return comparator
    return None


def implied_comparator(direction: str | None) -> str:
    """The comparator of a figure stated without words: at least where more is better, at most where
    less is, exactly where the direction is unknown."""
    return _BY_DIRECTION.get(direction or "", "=")
