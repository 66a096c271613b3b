"""Appraisal tables in the warehouse's `raw_appraisals` schema, one appraisal file at a time.

`appraisal_files` holds one row per file now in raw/appraisals (loaded with its province, year and
appraiser, or rejected with the reason); `appraisal_scores` its appraised rows (agency, criterion, the
self-assessment file and content they appraise, score, reason, row status); `appraisal_decisions` the
self-assessments it accepts or returns; `appraisal_file_versions` every content a file has had. Which
appraisal stands (the latest of the same content) is decided in dbt.
"""

from __future__ import annotations

import polars as pl

from pipelines.forms.appraisal import FILES_SHEET, SHEET
from pipelines.landing import tables
from pipelines.landing.ledger import Landed, Ledger
from pipelines.sources.appraisals.read import AppraisalReading

FILE_COLUMNS: tables.Columns = {
    "province_key": pl.String(),
    "assessed_year": pl.Int32(),
    "appraiser": pl.String(),
    "score_count": pl.Int32(),
    "decision_count": pl.Int32(),
    "warnings": pl.String(),
}
_ROW: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "sheet_name": pl.String(),
    "row_number": pl.Int32(),
}
SCORE_COLUMNS: tables.Columns = {
    **_ROW,
    "agency_key": pl.String(),
    "criterion_code": pl.String(),
    "self_assessment_file": pl.String(),
    "self_assessment_hash": pl.String(),
    "score_text": pl.String(),
    "score_cell": pl.String(),
    "appraised_score": pl.Float64(),
    "reason": pl.String(),
    "row_status": pl.String(),
    "issue": pl.String(),
}
DECISION_COLUMNS: tables.Columns = {
    **_ROW,
    "self_assessment_file": pl.String(),
    "self_assessment_hash": pl.String(),
    "decision_text": pl.String(),
    "decision_cell": pl.String(),
    "decision": pl.String(),
    "reason": pl.String(),
    "row_status": pl.String(),
    "issue": pl.String(),
}
LEDGER = Ledger(
    schema="raw_appraisals",
    files_table="appraisal_files",
    file_columns=FILE_COLUMNS,
    row_tables={"appraisal_scores": SCORE_COLUMNS, "appraisal_decisions": DECISION_COLUMNS},
)


def file_frame(
    landed: Landed, *, reading: AppraisalReading | None, rejection_reason: str | None
) -> pl.DataFrame:
    described: dict = {}
    if reading is not None:
        described = dict(
            province_key=reading.province_key,
            assessed_year=reading.assessed_year,
            appraiser=reading.appraiser,
            score_count=len(reading.scores),
            decision_count=len(reading.decisions),
            warnings="\n".join(reading.warnings) or None,
        )
    return LEDGER.file_frame(
        landed, status="loaded" if reading else "rejected", rejection_reason=rejection_reason, **described
    )


def score_frame(reading: AppraisalReading | None) -> pl.DataFrame:
    rows = [
        {
            "sheet_name": SHEET,
            "row_number": score.row,
            "agency_key": score.agency_key,
            "criterion_code": score.criterion_code,
            "self_assessment_file": score.self_assessment_file,
            "self_assessment_hash": score.content_hash,
            "score_text": score.score_text,
            "score_cell": score.score_cell,
            "appraised_score": score.appraised_score,
            "reason": score.reason,
            "row_status": score.row_status,
            "issue": score.issue,
        }
        for score in (reading.scores if reading else ())
    ]
    return tables.frame(rows, SCORE_COLUMNS)


def decision_frame(reading: AppraisalReading | None) -> pl.DataFrame:
    rows = [
        {
            "sheet_name": FILES_SHEET,
            "row_number": decision.row,
            "self_assessment_file": decision.file,
            "self_assessment_hash": decision.content_hash,
            "decision_text": decision.decision_text,
            "decision_cell": decision.decision_cell,
            "decision": decision.decision,
            "reason": decision.reason,
            "row_status": decision.row_status,
            "issue": decision.issue,
        }
        for decision in (reading.decisions if reading else ())
    ]
    return tables.frame(rows, DECISION_COLUMNS)
