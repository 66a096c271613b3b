"""Resolve an agency name as written in a document to an agency key in dim_agency.

Names depend on context: "Sở Nội vụ" is a different agency in each province, "Văn phòng" in an
industrial-zone authority's plan is that authority's own office, and "Sở TT&TT" named in 2026 means
its successor, Sở Khoa học và Công nghệ. The resolver therefore takes the province, the date and
the issuing agency, and answers "unknown" with the closest candidates rather than guess.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache

from pipelines.text.normalize import match_key
from pipelines.text.reference import read_seed


class Status(StrEnum):
    RESOLVED = "resolved"
    SUCCESSOR = "successor"  # the named agency had ceased on that date; this is who carries it on
    GROUP = "group"  # a collective reference ("Các sở, ban, ngành", "UBND cấp huyện")
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Resolution:
    raw: str
    status: Status
    agency_key: str | None = None
    group_role: str | None = None
    candidates: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Version:
    agency_key: str
    role_code: str
    province_code: str
    parent_agency_key: str | None
    valid_from: date
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


SELF_ROLE = "co_quan_ban_hanh"


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


class AgencyRegistry:
    """The agency seeds, indexed for resolution."""

    def __init__(self) -> None:
        self.roles = {row["role_code"]: row for row in read_seed("agency_roles")}
        self.roles_by_alias: dict[str, list[str]] = defaultdict(list)
        for row in read_seed("agency_aliases"):
            self.roles_by_alias[match_key(row["alias"])].append(row["role_code"])
        self.versions = [
            _Version(
                agency_key=row["agency_key"],
                role_code=row["role_code"],
                province_code=row["province_code"],
                parent_agency_key=row["parent_agency_key"] or None,
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_to=_day(row["valid_to"]),
            )
            for row in read_seed("agencies")
        ]
        self.successors: dict[str, list[tuple[date, str]]] = defaultdict(list)
        for row in read_seed("agency_successions"):
            self.successors[row["predecessor_agency_key"]].append(
                (date.fromisoformat(row["effective_on"]), row["successor_agency_key"])
            )
        self.province_keys = {
            match_key(row["province_name_vi"]): row["province_code"] for row in read_seed("provinces")
        }

    def province_of(self, agency_key: str) -> str | None:
        return next((v.province_code for v in self.versions if v.agency_key == agency_key), None)

    def split_province(self, key: str) -> tuple[str, str | None]:
        """Take a trailing province name off a match key.

        'so noi vu tinh dong nai' → ('so noi vu', 'dong_nai').
        """
        for name, code in self.province_keys.items():
            for suffix in (f" tinh {name}", f" {name}"):
                if key.endswith(suffix) and len(key) > len(suffix):
                    return key[: -len(suffix)].strip(), code
        return key, None

    def follow_lineage(self, agency_key: str, on: date) -> str:
        """The agency that carries `agency_key` on the given day (itself if it has not ceased)."""
        seen = {agency_key}
        current = agency_key
        while True:
            step = [succ for effective, succ in self.successors.get(current, []) if effective <= on]
            if len(step) != 1 or step[0] in seen:
                return current
            current = step[0]
            seen.add(current)


@cache
def known_agencies() -> frozenset[str]:
    """Every agency key of the seeds (thousands, since every commune reports): built once."""
    return frozenset(row["agency_key"] for row in read_seed("agencies"))


@cache
def registry() -> AgencyRegistry:
    return AgencyRegistry()


def resolve_agency(
    raw: str,
    *,
    province: str | None = None,
    on: date | None = None,
    issuer: str | None = None,
) -> Resolution:
    """Resolve a raw agency name.

    province: province code of the document (defaults to the issuer's province);
    on: the date the name was used (a ceased agency then resolves to its successor);
    issuer: agency key of the issuing agency, for its own units ("Văn phòng", "Lãnh đạo Ban").
    """
    reg = registry()
    key, named_province = reg.split_province(match_key(raw))
    province = named_province or province or (reg.province_of(issuer) if issuer else None)
    # "Ủy ban nhân dân tỉnh Quảng Bình" loses "tỉnh Quảng Bình" with the province; the alias keeps "tỉnh".
    roles = reg.roles_by_alias.get(key) or (reg.roles_by_alias.get(f"{key} tinh") if named_province else None)
    if not roles:
        return Resolution(raw, Status.UNKNOWN, candidates=_closest(reg, key, province))
    groups = [role for role in roles if reg.roles[role]["is_group"] == "true"]
    if groups:
        return Resolution(raw, Status.GROUP, group_role=groups[0])
    if SELF_ROLE in roles:
        return (
            Resolution(raw, Status.RESOLVED, agency_key=issuer) if issuer else Resolution(raw, Status.UNKNOWN)
        )

    matches = [v for v in reg.versions if v.role_code in roles]
    own_units = [v for v in matches if issuer and v.parent_agency_key == issuer]
    if own_units:
        matches = own_units
    else:
        matches = [v for v in matches if reg.roles[v.role_code]["level"] != "unit"]
        if province:
            matches = [v for v in matches if v.province_code == province]
    keys = sorted({v.agency_key for v in matches})
    if on is not None and keys:
        valid = sorted({v.agency_key for v in matches if v.valid_on(on)})
        if not valid:
            carried = sorted({reg.follow_lineage(k, on) for k in keys} - set(keys))
            if len(carried) == 1:
                return Resolution(raw, Status.SUCCESSOR, agency_key=carried[0])
            return Resolution(raw, Status.UNKNOWN, candidates=tuple(keys))
        keys = valid
    if len(keys) == 1:
        return Resolution(raw, Status.RESOLVED, agency_key=keys[0])
    if not keys:
        return Resolution(raw, Status.UNKNOWN, candidates=_closest(reg, key, province))
    return Resolution(raw, Status.AMBIGUOUS, candidates=tuple(keys))


@lru_cache(maxsize=4096)
def _closest(reg: AgencyRegistry, key: str, province: str | None, limit: int = 3) -> tuple[str, ...]:
    """Agency keys whose aliases look most like `key`, within the province when known.

    An alias scores by the share of its words found in `key` and by character similarity, so a
    cell that glued two names together ("Sở Tư pháp UBND tỉnh (trên Cổng TTĐT tỉnh)") still
    proposes Sở Tư pháp. Kept per registry and name: plans name the same unknown bodies again and
    again, and comparing one with every alias takes about 2 ms (0.33 of the 0.44 s the four seed plans
    take to parse; read again in the same process, 0.15 s in all).
    """
    words = set(key.split())
    matcher = difflib.SequenceMatcher(None, b=key)  # `key` indexed once, compared with every alias

    def score(alias: str) -> float:
        alias_words = alias.split()
        shared = sum(word in words for word in alias_words) / len(alias_words)
        matcher.set_seq1(alias)
        # quick_ratio bounds ratio from above: an alias that cannot reach 0.8 is not compared in full
        return shared + (matcher.ratio() if shared + matcher.quick_ratio() >= 0.8 else 0.0)

    scored = sorted((-score(alias), alias) for alias in reg.roles_by_alias if alias)
    ranked = [alias for negative, alias in scored if -negative >= 0.8]
    found: list[str] = []
    for alias in ranked:
        if len(found) >= limit:
            break
        for role in reg.roles_by_alias[alias]:
            for v in reg.versions:
                in_scope = v.role_code == role and (province is None or v.province_code == province)
                if in_scope and v.agency_key not in found:
                    found.append(v.agency_key)
    return tuple(found[:limit])
