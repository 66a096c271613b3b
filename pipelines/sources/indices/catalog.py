"""The index catalog (seeds `indices` and `index_components`) and matching a column header to it.

A header names a component when one of the component's aliases occurs in it as whole words (or,
for an alias written "=X", when the header is X), and none of its excludes does. Years are taken
out of headers first, so "PCI 2013" reads as "PCI". The longest alias wins; a header two components
claim equally is left unmatched rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipelines.text.normalize import match_key
from pipelines.text.reference import read_seed

YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# Parts of a sub-index that detail sheets label with the sub-index's own name.
_SUB_PARTS = tuple(match_key(text) for text in ("Khía cạnh", "dữ liệu mềm", "dữ liệu cứng"))


@dataclass(frozen=True)
class Component:
    index_code: str
    component_code: str
    measure: str  # score | rank
    aliases: tuple[str, ...]
    excludes: tuple[str, ...]


def _keys(text: str) -> tuple[str, ...]:
    return tuple(
        ("=" + match_key(part[1:])) if part.strip().startswith("=") else match_key(part)
        for part in (piece.strip() for piece in text.split("|"))
        if part
    )


@cache
def components(index_code: str) -> tuple[Component, ...]:
    found = {
        (row["component_code"], row["measure"]): Component(
            row["index_code"],
            row["component_code"],
            row["measure"],
            _keys(row["aliases"]),
            _keys(row["excludes"]),
        )
        for row in read_seed("index_components")
        if row["index_code"] == index_code
    }
    return tuple(found.values())


@cache
def index_codes() -> tuple[str, ...]:
    return tuple(row["index_code"] for row in read_seed("indices"))


@cache
def _index_names() -> tuple[tuple[str, str], ...]:
    return tuple((key, row["index_code"]) for row in read_seed("indices") for key in _keys(row["name_keys"]))


def header_key(header: str) -> str:
    return match_key(YEAR.sub(" ", header))


def years_in(text: str) -> set[int]:
    return {int(year) for year in YEAR.findall(text)}


def _alias_length(alias: str, key: str) -> int:
    if alias.startswith("="):
        return len(alias) if key == alias[1:] else 0
    return len(alias) if f" {alias} " in f" {key} " else 0


def match_header(index_code: str, header: str) -> Component | None:
    """The component (and measure) a column header of an `index_code` table names, if exactly one."""
    key = header_key(header)
    if not key or any(f" {part} " in f" {key} " for part in _SUB_PARTS):
        return None
    best: dict[Component, int] = {}
    for component in components(index_code):
        if any(f" {exclude} " in f" {key} " for exclude in component.excludes):
            continue
        length = max((_alias_length(alias, key) for alias in component.aliases), default=0)
        if length:
            best[component] = length
    if not best:
        return None
    longest = max(best.values())
    winners = [component for component, length in best.items() if length == longest]
    return winners[0] if len(winners) == 1 else None


def index_named_in(text: str) -> str | None:
    """The index a file name or title names ("PCI_2014.xlsx" → PCI), the longest name first."""
    key = f" {match_key(text.replace('_', ' '))} "
    found = [(len(name), code) for name, code in _index_names() if f" {name.lstrip('=')} " in key]
    return max(found)[1] if found else None
