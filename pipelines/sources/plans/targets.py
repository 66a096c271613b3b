"""Quantified targets from the narrative "Mục tiêu" parts of a plan.

A plan states its targets per reform area under a "Mục tiêu" heading (`1.1. Mục tiêu`, `a) Mục tiêu`,
bold or markdown or plain), sometimes by milestone ("- Đến năm 2025:" … "- Đến năm 2030:"). Older
plans (2011-2020 programme) have no such heading: their whole area sections, and the general
"Định hướng/Mục tiêu" part, are read instead.

Each number with a unit becomes one row. A clause that splits a value by level
("80% tại cấp sở, 40% tại cấp huyện và 30% tại cấp xã") gives a row per level. The indicator is
looked up in the words that belong to the number: those before it when the clause names its
subject first ("Tỷ lệ … đạt tối thiểu 97%"), those after it when the number comes first
("100% thủ tục hành chính …"). Values are kept as written; a percentage above 100 is flagged.
An index that is to improve on a year ("Chỉ số Cải cách hành chính cải thiện so với năm 2023") is a
target whose value is that baseline year (unit `baseline_year`, comparator ">": better than it).
What the words beside a value mean ("tối thiểu", "không quá", a bare figure) is pipelines/text/comparators.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from pipelines.formats.blocks import Paragraph, is_low_confidence
from pipelines.text.areas import match_area
from pipelines.text.comparators import implied_comparator, stated_comparator
from pipelines.text.indicators import UNCLASSIFIED, catalog, match_indicator
from pipelines.text.normalize import fold
from pipelines.text.numbers import parse_number

_NUMBERING = re.compile(
    r"^(?P<num>[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.)]\s*(?P<title>.*)$", re.IGNORECASE
)
_TARGET_PART = re.compile(r"^(?:muc tieu|dinh huong|chi tieu)\b")
_OTHER_PART = re.compile(
    r"^(?:nhiem vu|giai phap|yeu cau|muc dich|noi dung|quan diem|to chuc thuc hien|kinh phi)\b"
)
_MILESTONE = re.compile(r"^[-+•\s]*(?:den|toi|trong)?\s*nam\s+(?P<year>(?:19|20)\d{2})\s*(?P<sep>[:,])\s*")

_QUANTITY = re.compile(
    r"(?P<percent>(?P<pnum>\d{1,3}(?:[.,]\d+)?)\s*%)"
    r"|(?P<rank>nhom\s+(?P<rnum>\d{1,2})\s+(?:dia phuong|tinh)\b[^.;]{0,40}?\bdan dau)"
    r"|(?P<count>(?:toi thieu|it nhat)\s+(?P<cnum>\d{1,4})\s+(?!nam\b|ngay\b|thang\b|%)[a-z])"
    r"|(?P<improve>\b(?:cai thien|nang cao|tang)\s+(?:hon\s+)?so voi\s+nam\s+(?P<ynum>(?:19|20)\d{2}))"
)
_LEVEL_WORD = {
    "tinh": "province",
    "so": "department",
    "huyen": "district",
    "xa": "commune",
    "phuong": "commune",
}
_LEVEL_LIST = re.compile(
    r"\bcap\s+(?:tinh|so|huyen|xa|phuong)(?:\s*(?:,|va)\s*(?:cap\s+)?(?:tinh|so|huyen|xa|phuong)\b)*"
)
_PROVINCE_CENTRE = re.compile(r"\btrung tam phuc vu hanh chinh cong tinh\b")
_SUBJECT_WORDS = re.compile(r"[a-z]{2,}")
# Words that say how much, where or when, never what: a value with only these before it comes first.
_FILLER = frozenset(
    {"dat", "toi", "thieu", "it", "nhat", "tu", "tro", "len", "va", "tai", "o", "cap", "so", "huyen", "xa"}
    | {"tinh", "phuong", "trong", "do", "la", "con", "ty", "le", "muc", "giam", "tang", "binh", "quan"}
    | {"dam", "bao", "tuong", "ung", "co", "khoang", "phan", "dau"}
)


@dataclass(frozen=True)
class PlanTarget:
    seq: int
    area_code: str | None
    sub_area_code: str | None
    indicator_code: str
    value: float
    value_text: str  # as written: "97%", "500%", "nhóm 20 địa phương dẫn đầu"
    unit: str  # percent, rank, count, baseline_year
    comparator: str  # >=, >, =, <=, <
    level: str | None  # province, department, district, commune; None when not split by level
    target_year: int | None
    text: str  # the sentence the value came from
    is_implausible: bool
    source_line: int
    is_low_confidence: bool = False  # read by OCR with a low confidence: check against the page
    source_page: int | None = None


def _aligned_fold(text: str) -> str:
    """fold() one character at a time, so positions in the result are positions in `text`."""
    return "".join((fold(ch)[:1] or " ") for ch in text)


def _heading(paragraph: Paragraph) -> tuple[str | None, str] | None:
    """(numbering, title) when the paragraph reads as a heading; None for body text."""
    text = paragraph.text.strip()
    found = _NUMBERING.match(text)
    title = found["title"] if found else text
    if len(title.split()) > 20 or not title:
        return None
    if found or paragraph.is_emphasised:
        return (found["num"] if found else None), title.rstrip(":. ")
    return None


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.;])\s+(?=[-+]?\s*[A-ZĐÂÊÔƠƯÁÀẢÃẠ0-9])", text) if s.strip()]


@dataclass
class _Quantity:
    start: int
    end: int
    value: float
    value_text: str
    unit: str


def _quantities(folded: str, text: str) -> list[_Quantity]:
    found: list[_Quantity] = []
    for match in _QUANTITY.finditer(folded):
        if match["percent"]:
            number, unit, span = match["pnum"], "percent", match.span("percent")
        elif match["rank"]:
            number, unit, span = match["rnum"], "rank", match.span("rank")
        elif match["improve"]:
            number, unit, span = match["ynum"], "baseline_year", match.span("improve")
        else:
            number, unit, span = match["cnum"], "count", match.span("cnum")
        value = parse_number(number)
        if value is not None:
            found.append(_Quantity(span[0], span[1], value, text[span[0] : span[1]], unit))
    return found


def _comparator(left: str, right: str, unit: str) -> str | None:
    if unit == "rank":
        return "<="
    if unit == "baseline_year":
        return ">"
    return stated_comparator(left, right)


def _levels(window: str, *, adjacent: bool) -> list[str]:
    """Levels named in the words after a value. With `adjacent`, only a level that directly follows
    the value or is introduced by "tại/ở" counts: "80% tại cấp sở", not "100% cơ quan … cấp huyện"."""
    levels: list[str] = []
    for found in _LEVEL_LIST.finditer(window):
        if adjacent and not re.search(r"(?:^\s*|\b(?:tai|o)\s+)$", window[: found.start()]):
            continue
        for word in re.findall(r"tinh|so|huyen|xa|phuong", found.group(0)[4:]):
            if _LEVEL_WORD[word] not in levels:
                levels.append(_LEVEL_WORD[word])
    if not levels and not adjacent and _PROVINCE_CENTRE.search(window):
        levels.append("province")
    return levels


def _has_subject(window: str) -> bool:
    return len([w for w in _SUBJECT_WORDS.findall(window) if w not in _FILLER]) >= 2


@dataclass
class _Reading:
    """One value of a clause with what belongs to it."""

    quantity: _Quantity
    subject: str  # the words that say what the value measures
    number_first: bool  # the value comes before its subject ("100% thủ tục hành chính …")
    comparator: str | None  # None when the words state none: the indicator's direction decides
    stated: bool  # the comparator is written, or carried from the value before
    levels: list[str]


def _targets_in_clause(clause: str) -> list[_Reading]:
    """Quantities of one clause with the words that describe each, comparator and levels."""
    folded = _aligned_fold(clause)
    quantities = _quantities(folded, clause)
    if not quantities:
        return []
    first_left = folded[: quantities[0].start]
    number_first = not _has_subject(first_left)
    rows: list[_Reading] = []
    for index, quantity in enumerate(quantities):
        previous_end = quantities[index - 1].end if index else 0
        next_start = quantities[index + 1].start if index + 1 < len(quantities) else len(clause)
        left, right = folded[previous_end : quantity.start], folded[quantity.end : next_start]
        subject = clause[quantity.end : next_start] if number_first else clause[previous_end : quantity.start]
        comparator = _comparator(left[-40:], right, quantity.unit)
        levels = _levels(right, adjacent=len(quantities) == 1)
        if comparator is None and rows and rows[-1].stated:
            # "tối thiểu 80% tại cấp sở, 40% tại cấp huyện"; "giảm tối thiểu 10% đơn vị và 10% biên chế"
            comparator = rows[-1].comparator
        rows.append(_Reading(quantity, subject, number_first, comparator, comparator is not None, levels))
    if len(rows) > 1 and not any(row.levels for row in rows) and "tuong ung" in folded:
        # "cấp tỉnh, cấp huyện, cấp xã đạt tỷ lệ tối thiểu tương ứng là 30%, 20%, 15%"
        named = _levels(first_left, adjacent=False)
        if len(named) == len(rows):
            for row, level in zip(rows, named, strict=True):
                row.levels = [level]
    return rows


def _indicator(row: _Reading, clause: str, inherited: str | None) -> str:
    """The indicator of the words that belong to the value; else the one of the value before it
    in a series; else the nearest fit in the whole clause."""
    matched = match_indicator(row.subject, at=0 if row.number_first else len(row.subject))
    if matched is None and inherited:
        return inherited
    if matched is None:
        matched = match_indicator(clause, at=row.quantity.start)
    return matched.code if matched else UNCLASSIFIED


@cache
def _index_indicators() -> frozenset[str]:
    return frozenset(indicator.code for indicator in catalog() if indicator.index_code)


@cache
def _directions() -> dict[str, str | None]:
    return {indicator.code: indicator.direction for indicator in catalog()}


def targets_in_text(
    text: str, *, area_code: str | None, sub_area_code: str | None, target_year: int | None, line: int
) -> list[PlanTarget]:
    """Every quantified target stated in one paragraph."""
    found: list[PlanTarget] = []
    for sentence in _sentences(text):
        indicator: str | None = None  # carried through the sentence's clauses for values without a subject
        for clause in re.split(r";\s*|\s+-\s+(?=\D)", sentence):
            rows = _targets_in_clause(clause)
            series = len(rows) > 1
            for row in rows:
                indicator = _indicator(row, clause, indicator)
                quantity = row.quantity
                if quantity.unit == "baseline_year" and indicator not in _index_indicators():
                    # "tỷ lệ … tăng so với năm 2023": the agencies' own figures of that year are not
                    # in any report, so only published indices can be measured against a year
                    continue
                levels = row.levels if (series or len(row.levels) == 1) else []
                for level in levels or [None]:
                    found.append(
                        PlanTarget(
                            seq=0,
                            area_code=area_code,
                            sub_area_code=sub_area_code,
                            indicator_code=indicator,
                            value=quantity.value,
                            value_text=quantity.value_text,
                            unit=quantity.unit,
                            comparator=row.comparator or implied_comparator(_directions().get(indicator)),
                            level=level,
                            target_year=target_year,
                            text=sentence,
                            is_implausible=quantity.unit == "percent" and quantity.value > 100,
                            source_line=line,
                        )
                    )
    return found


@dataclass
class _State:
    area: str | None = None
    sub_area: str | None = None
    in_targets: bool = False
    milestone: int | None = None


def read_targets(
    paragraphs: tuple[Paragraph, ...], *, period_start: int | None, period_end: int | None
) -> list[PlanTarget]:
    """Targets of a plan's narrative, in document order, numbered from 1."""
    headed = _has_target_headings(paragraphs)
    default_year = period_end if period_end is not None else period_start
    state = _State()
    targets: list[PlanTarget] = []
    for paragraph in paragraphs:
        heading = _heading(paragraph)
        if heading is not None and _enter(state, heading, headed):
            continue
        if not state.in_targets:
            continue
        year = state.milestone
        text = paragraph.text
        if milestone := _MILESTONE.match(fold(text)):
            year = int(milestone["year"])
            if milestone["sep"] == ":":
                state.milestone = year
            text = text[milestone.end() :]
        for target in targets_in_text(
            text,
            area_code=state.area,
            sub_area_code=state.sub_area,
            target_year=year or default_year,
            line=paragraph.line,
        ):
            doubtful = is_low_confidence(paragraph.confidence) or is_low_confidence(
                paragraph.value_confidence(target.value_text)
            )
            target = replace(target, is_low_confidence=doubtful, source_page=paragraph.page)
            targets.append(_with_defaults(target, len(targets) + 1))
    return targets


def _with_defaults(target: PlanTarget, seq: int) -> PlanTarget:
    """Number the target; a target outside any area section takes its indicator's area."""
    area, sub_area = target.area_code, target.sub_area_code
    if area is None:
        indicator = next((i for i in catalog() if i.code == target.indicator_code), None)
        if indicator is not None:
            area, sub_area = indicator.area_code, indicator.sub_area_code
    return replace(target, seq=seq, area_code=area, sub_area_code=sub_area)


def _has_target_headings(paragraphs: tuple[Paragraph, ...]) -> bool:
    """Does any area section have its own "Mục tiêu" heading? (2011-2020 plans do not.)"""
    in_area = False
    for paragraph in paragraphs:
        heading = _heading(paragraph)
        if heading is None:
            continue
        number, title = heading
        match = match_area(title)
        if match is not None and number is not None and match.sub_area_code is None:
            in_area = True
        elif in_area and _TARGET_PART.match(fold(title)):
            return True
    return False


def _enter(state: _State, heading: tuple[str | None, str], headed: bool) -> bool:
    """Update the reading state for a heading. True when the paragraph was a heading only."""
    number, title = heading
    folded = fold(title)
    roman = number is not None and re.fullmatch(r"[IVX]{1,4}", number) is not None
    if _TARGET_PART.match(folded) and len(folded.split()) <= 6:
        state.in_targets, state.milestone = True, None
        if roman:
            state.area = state.sub_area = None
        return True
    if _OTHER_PART.match(folded):
        state.in_targets, state.milestone = False, None
        if roman:
            state.area = state.sub_area = None
        return True
    match = match_area(title) if number is not None else None
    if match is not None and match.sub_area_code is None and len(folded.split()) <= 14:
        state.area, state.sub_area, state.milestone = match.area_code, None, None
        state.in_targets = not headed
        return True
    if roman:
        state.area = state.sub_area = None
        state.in_targets = False
        return True
    return False
