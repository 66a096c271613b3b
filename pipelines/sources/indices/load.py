"""Index tables in the warehouse's `raw_indices` schema, one source file at a time.

`index_files` holds one row per file now in raw/indices (loaded or rejected, with warnings and the
row labels that named no province); `index_scores` the figures of the loaded ones;
`index_file_versions` every content a file has had, appended and never rewritten. `index_files` is
the indices' ledger (landing.ledger).
"""

from __future__ import annotations

import polars as pl

from pipelines.landing import tables
from pipelines.landing.ledger import Landed, Ledger
from pipelines.sources.indices.scores import IndexReading

FILE_COLUMNS: tables.Columns = {
    "index_codes": pl.String(),
    "first_year": pl.Int32(),
    "last_year": pl.Int32(),
    "score_count": pl.Int32(),
    "warnings": pl.String(),
    "unresolved_labels": pl.String(),
}
SCORE_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "index_code": pl.String(),
    "year": pl.Int32(),
    "component_code": pl.String(),
    "province_code": pl.String(),
    "scope": pl.String(),
    "place_label": pl.String(),
    "score": pl.Float64(),
    "published_rank": pl.Int32(),
    "source_sheet": pl.String(),
    "source_cell": pl.String(),
    "note": pl.String(),
    "published_in": pl.String(),
}
LEDGER = Ledger(
    schema="raw_indices",
    files_table="index_files",
    file_columns=FILE_COLUMNS,
    row_tables={"index_scores": SCORE_COLUMNS},
)


def file_frame(
    landed: Landed,
    *,
    reading: IndexReading | None,
    rejection_reason: str | None,
) -> pl.DataFrame:
    described: dict = {}
    if reading is not None:
        described = dict(
            index_codes=", ".join(reading.index_codes),
            first_year=min(reading.years),
            last_year=max(reading.years),
            score_count=len(reading.scores),
            warnings="\n".join(reading.warnings) or None,
            unresolved_labels="\n".join(f"{u.sheet}!{u.cell}: {u.label}" for u in reading.unresolved) or None,
        )
    return LEDGER.file_frame(
        landed,
        status="loaded" if reading else "rejected",
        rejection_reason=rejection_reason,
        **described,
    )


def score_frame(reading: IndexReading | None) -> pl.DataFrame:
    rows = [
        {
            "index_code": s.index_code,
            "year": s.year,
            "component_code": s.component_code,
            "province_code": s.province_code,
            "scope": s.scope,
            "place_label": s.label,
            "score": s.score,
            "published_rank": s.rank,
            "source_sheet": s.sheet,
            "source_cell": s.cell,
            "note": s.note,
            "published_in": s.source,
        }
        for s in (reading.scores if reading else ())
    ]
    return tables.frame(rows, SCORE_COLUMNS)
