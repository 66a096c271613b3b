"""What an index file says: one score (and rank) per index × year × place × component."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from pipelines.text.normalize import match_key
from pipelines.text.provinces import resolve_province

PROVINCE = "province"
NATIONAL = "national"

# Rows that speak for the whole country rather than one province.
_NATIONAL_LABELS = frozenset(
    match_key(label)
    for label in (
        "national",
        "national average",
        "average",
        "mean",
        "cả nước",
        "toàn quốc",
        "trung bình",
        "trung bình cả nước",
        "bình quân",
        "bình quân cả nước",
    )
)


class IndexFileRejected(Exception):
    """An index file that cannot be loaded as a whole; `reason` says what to fix."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class Place:
    province_code: str | None
    scope: str  # province | national


def place_named(label: str) -> Place | None:
    """The province (or the whole country) a row label names; None for "Max", "Vùng", "Median"…"""
    code = resolve_province(label)
    if code:
        return Place(code, PROVINCE)
    if match_key(label) in _NATIONAL_LABELS:
        return Place(None, NATIONAL)
    return None


@dataclass(frozen=True)
class IndexScore:
    index_code: str
    year: int
    component_code: str
    province_code: str | None
    scope: str
    label: str  # the place as the publisher wrote it
    score: float | None
    rank: int | None
    sheet: str | None  # workbook sheet, None for a CSV
    cell: str | None  # address of the score cell (or the CSV line)
    note: str | None
    source: str  # where the figure was published: "file / sheet", or the CSV's source column

    def as_row(self) -> dict:
        """The keys `cchc parse-index --json` prints."""
        row = asdict(self)
        row = {
            "index": row.pop("index_code"),
            "year": row.pop("year"),
            "province": self.province_code or self.scope,
            "component": row.pop("component_code"),
            "score": row.pop("score"),
            "rank": row.pop("rank"),
            **row,
        }
        row.pop("province_code")
        return row


@dataclass(frozen=True)
class Unresolved:
    """A row label with figures that names no province: reported, not loaded."""

    sheet: str
    cell: str
    label: str


@dataclass
class IndexReading:
    source: str
    scores: list[IndexScore]
    warnings: list[str] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)

    @property
    def index_codes(self) -> list[str]:
        return sorted({score.index_code for score in self.scores})

    @property
    def years(self) -> list[int]:
        return sorted({score.year for score in self.scores})
