"""Resolve a province name as publishers and documents write it to a province code (dim_province).

Names arrive with or without diacritics, with prefixes ("Tỉnh", "TP.", "Thành phố"), abbreviated
("TP.HCM", "BRVT", "TT-Huế") or mistyped; the seeds `provinces` and `province_aliases` list the
names, and folding (diacritics off, punctuation out) covers the unaccented and re-accented spellings.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from pipelines.text.normalize import match_key
from pipelines.text.reference import read_seed

_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp)\s+")


def _key(text: str) -> str:
    return _PREFIX.sub("", match_key(text)).replace(" ", "")


@cache
def known_provinces() -> frozenset[str]:
    """Every province code of the seeds."""
    return frozenset(row["province_code"] for row in read_seed("provinces"))


@cache
def _names() -> dict[str, str]:
    names = {_key(row["province_name_vi"]): row["province_code"] for row in read_seed("provinces")}
    names.update({_key(row["alias"]): row["province_code"] for row in read_seed("province_aliases")})
    return names


@cache
def _successors() -> dict[str, tuple[date, str]]:
    return {
        row["predecessor_province_code"]: (
            date.fromisoformat(row["effective_on"]),
            row["successor_province_code"],
        )
        for row in read_seed("province_successions")
    }


@cache
def _spaced_names() -> tuple[tuple[str, str], ...]:
    rows = [(row["province_name_vi"], row["province_code"]) for row in read_seed("provinces")]
    rows += [(row["alias"], row["province_code"]) for row in read_seed("province_aliases")]
    return tuple((f" {_PREFIX.sub('', match_key(name))} ", code) for name, code in rows)


def province_named_in(text: str) -> str | None:
    """The province a longer text names first ("Kế hoạch CCHC tỉnh Đồng Nai năm 2024" → dong_nai)."""
    key = f" {match_key(text)} "
    found = [(key.find(name), code) for name, code in _spaced_names() if name in key]
    return min(found)[1] if found else None


def resolve_province(name: str) -> str | None:
    """The code of the province `name` denotes, or None when it names no province ("Max", "Vùng")."""
    return _names().get(_key(name)) if name and name.strip() else None


def province_on(code: str, day: date) -> str:
    """The province that carries `code` on `day`: itself, or what it merged into by then."""
    seen = {code}
    while (step := _successors().get(code)) and step[0] <= day and step[1] not in seen:
        code = step[1]
        seen.add(code)
    return code
