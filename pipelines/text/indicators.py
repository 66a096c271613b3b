"""Match plan wording to an indicator of the catalog (dbt/seeds/indicators.csv).

Each indicator lists keyword alternatives ("hồ sơ + đúng hạn | giải quyết + đúng hạn"): an
alternative fits when all its terms occur in the text. Matching is on the folded form with
abbreviations expanded, so "PAKN", "phản ánh, kiến nghị" and OCR slips that only lose diacritics
("Công dịch vụ công" for "Cổng") all match.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pipelines.text.normalize import match_key
from pipelines.text.reference import read_seed

UNCLASSIFIED = "unclassified"
# How many words of distance one matched keyword word makes up for.
_WORD_WEIGHT = 3


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    unit: str
    area_code: str
    sub_area_code: str | None
    index_code: str | None  # the published index (PCI, PAR_INDEX) the indicator is read from
    direction: str | None  # higher when more is better, lower when less is
    alternatives: tuple[tuple[str, ...], ...]  # each a tuple of match-key terms


@cache
def catalog() -> tuple[Indicator, ...]:
    return tuple(
        Indicator(
            code=row["indicator_code"],
            name_vi=row["indicator_name_vi"],
            unit=row["unit"],
            area_code=row["area_code"],
            sub_area_code=row["sub_area_code"] or None,
            index_code=row["index_code"] or None,
            direction=row["direction"] or None,
            alternatives=tuple(
                tuple(match_key(term) for term in alternative.split("+"))
                for alternative in row["keywords"].split("|")
            ),
        )
        for row in read_seed("indicators")
        if row["keywords"]  # the `unclassified` row has none: it is what no match gives
    )


def _position(words: list[str], term: list[str]) -> int | None:
    for index in range(len(words) - len(term) + 1):
        if words[index : index + len(term)] == term:
            return index
    return None


def match_indicator(text: str, *, at: int = 0) -> Indicator | None:
    """The indicator whose keywords fit `text` best; `at` is where the value stands in `text`.

    Text often names two things ("100% lãnh đạo sử dụng chữ ký số để xác thực văn bản điện tử"):
    a fit ranks by how far its farthest keyword stands from the value, less three words for each
    keyword word it matched, so a near fit beats a far one and a specific fit a vague one.
    """
    words = match_key(text).split()
    anchor = len(match_key(text[:at]).split())
    best: tuple[tuple[int, int], Indicator] | None = None
    for order, indicator in enumerate(catalog()):
        for terms in indicator.alternatives:
            distances: list[int] = []
            for term in terms:
                position = _position(words, term.split())
                if position is None:
                    break
                end = position + len(term.split())
                distances.append(position - anchor if position >= anchor else max(anchor - end, 0))
            else:
                size = sum(len(term.split()) for term in terms)
                rank = (max(distances) - _WORD_WEIGHT * size, order)
                if best is None or rank < best[0]:
                    best = (rank, indicator)
    return best[1] if best else None
