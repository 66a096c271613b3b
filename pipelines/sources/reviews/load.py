"""Review tables in the warehouse's `raw_reviews` schema, one review file at a time.

`review_files` holds one row per file now in raw/reviews (loaded, or rejected with the reason);
`review_decisions` its filled rows, each with the report file and content it decides and a row status;
`review_file_versions` every content a file has had. `review_files` is the reviews' ledger. Which
decision stands for a report (the latest review's) is decided in dbt.
"""

from __future__ import annotations

import polars as pl

from pipelines.forms.review import SHEET
from pipelines.landing import tables
from pipelines.landing.ledger import Landed, Ledger
from pipelines.sources.reviews.read import ReviewReading

FILE_COLUMNS: tables.Columns = {
    "period_key": pl.String(),
    "reviewer": pl.String(),
    "decision_count": pl.Int32(),
    "warnings": pl.String(),
}
DECISION_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "sheet_name": pl.String(),
    "row_number": pl.Int32(),
    "report_file": pl.String(),
    "report_hash": pl.String(),
    "decision_text": pl.String(),
    "decision_cell": pl.String(),
    "decision": pl.String(),
    "reason": pl.String(),
    "row_status": pl.String(),
    "issue": pl.String(),
}
LEDGER = Ledger(
    schema="raw_reviews",
    files_table="review_files",
    file_columns=FILE_COLUMNS,
    row_tables={"review_decisions": DECISION_COLUMNS},
)


def file_frame(
    landed: Landed, *, reading: ReviewReading | None, rejection_reason: str | None
) -> pl.DataFrame:
    described: dict = {}
    if reading is not None:
        described = dict(
            period_key=reading.period_key,
            reviewer=reading.reviewer,
            decision_count=len(reading.decisions),
            warnings="\n".join(reading.warnings) or None,
        )
    return LEDGER.file_frame(
        landed, status="loaded" if reading else "rejected", rejection_reason=rejection_reason, **described
    )


def decision_frame(reading: ReviewReading | None) -> pl.DataFrame:
    rows = [
        {
            "sheet_name": SHEET,
            "row_number": d.row,
            "report_file": d.file,
            "report_hash": d.content_hash,
            "decision_text": d.decision_text,
            "decision_cell": d.decision_cell,
            "decision": d.decision,
            "reason": d.reason,
            "row_status": d.row_status,
            "issue": d.issue,
        }
        for d in (reading.decisions if reading else ())
    ]
    return tables.frame(rows, DECISION_COLUMNS)
