"""Map a plan heading to a reform area (dim_area) and, where it names one, a sub-area.

Plans number their sections differently (Roman numerals in appendices, 1., 2.2., a)), and the
2011-2020 programme used other headings, so the heading text decides, never the numbering alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pipelines.text.normalize import match_key
from pipelines.text.reference import read_seed


@dataclass(frozen=True)
class AreaMatch:
    area_code: str
    sub_area_code: str | None
    alias: str


@cache
def _aliases() -> tuple[tuple[str, AreaMatch], ...]:
    pairs = [
        (match_key(row["alias"]), AreaMatch(row["area_code"], row["sub_area_code"] or None, row["alias"]))
        for row in read_seed("area_aliases")
    ]
    # Longest first: "kiểm soát thủ tục hành chính" (a sub-area) beats "thủ tục hành chính" (an area).
    return tuple(sorted(pairs, key=lambda pair: len(pair[0].split()), reverse=True))


def _contains(words: list[str], alias: list[str]) -> bool:
    """Alias words appear in the heading in order; long aliases may have words in between
    ("chuyển đổi số [toàn diện, thực chất] trong giải quyết thủ tục hành chính")."""
    if len(alias) < 4:
        return any(words[i : i + len(alias)] == alias for i in range(len(words) - len(alias) + 1))
    position = 0
    for word in alias:
        try:
            position = words.index(word, position) + 1
        except ValueError:
            return False
    return True


def match_area(heading: str) -> AreaMatch | None:
    """The area (and sub-area) a heading names, by its longest known alias; None if none fits."""
    words = match_key(heading).split()
    for key, match in _aliases():
        if _contains(words, key.split()):
            return match
    return None
