"""Map a plan heading to a reform area (dim_area) and, where it names one, a sub-area.

Plans number their sections differently (Roman numerals in appendices, 1., 2.2., a)), and the
2011-2020 programme used other headings, so the heading text decides, never the numbering alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

from pipelines.text.normalize import match_key
from pipelines.text.reference import read_seed

# a heading OCR misread is its closest alias when this similar (difflib ratio) and clear of other areas
_SIMILAR = 0.85
_MARGIN = 0.1


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


def _same(word: str, alias: str, tolerant: bool) -> bool:
    """Equal words; with `tolerant` (text read by OCR), a word of four letters or more may have one
    letter misread ("di3u" for "dieu")."""
    if word == alias:
        return True
    return tolerant and len(alias) >= 4 and len(word) == len(alias) and sum(map(str.__ne__, word, alias)) == 1


def _contains(words: list[str], alias: list[str], tolerant: bool) -> bool:
    """Alias words appear in the heading in order; long aliases may have words in between
    ("chuyển đổi số [toàn diện, thực chất] trong giải quyết thủ tục hành chính")."""
    if len(alias) < 4:
        return any(
            all(_same(w, a, tolerant) for w, a in zip(words[i : i + len(alias)], alias, strict=True))
            for i in range(len(words) - len(alias) + 1)
        )
    position = 0
    for word in alias:
        found = next((i for i in range(position, len(words)) if _same(words[i], word, tolerant)), None)
        if found is None:
            return False
        position = found + 1
    return True


def match_area(heading: str, *, tolerant: bool = False) -> AreaMatch | None:
    """The area (and sub-area) a heading names, by its longest known alias; None if none fits.
    `tolerant` forgives one misread letter per long word, for headings read by OCR, and failing that
    takes the closest alias of a heading misread further ("CẢI CÁCH TH CHŠ")."""
    words = match_key(heading).split()
    for key, match in _aliases():
        if _contains(words, key.split(), tolerant):
            return match
    return _closest(" ".join(words)) if tolerant else None


def _closest(heading: str) -> AreaMatch | None:
    """The alias a heading misread beyond one letter a word is closest to ("cai cach th chs"), when it
    is close (SIMILAR) and no alias of another area comes near it (MARGIN)."""
    scored = sorted(
        ((SequenceMatcher(None, heading, key).ratio(), match) for key, match in _aliases()),
        key=lambda pair: pair[0],
        reverse=True,
    )
    best, match = scored[0]
    rival = next((score for score, other in scored if other.area_code != match.area_code), 0.0)
    return match if best >= _SIMILAR and best - rival >= _MARGIN else None
