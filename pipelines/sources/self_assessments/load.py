"""Self-assessment tables in the warehouse's `raw_self_assessments` schema, one file at a time.

`self_assessment_files` holds one row per file now in raw/self_assessments (loaded with its agency, year
and criteria set, or rejected with the reason); `self_assessment_scores` its score rows and
`self_assessment_evidence` its document rows, each with a row status and the cells a finding names;
`self_assessment_file_versions` every content a file has had. Which file counts for an agency and year,
and what its evidence is worth, is decided in dbt.
"""

from __future__ import annotations

import polars as pl

from pipelines.forms.self_assessment import EVIDENCE_SHEET, SHEET
from pipelines.landing import tables
from pipelines.landing.ledger import Landed, Ledger
from pipelines.sources.self_assessments.read import SelfAssessmentReading

FILE_COLUMNS: tables.Columns = {
    "agency_key": pl.String(),
    "assessed_year": pl.Int32(),
    "criteria_set_key": pl.String(),
    "submitter": pl.String(),
    "phone": pl.String(),
    "email": pl.String(),
    "score_count": pl.Int32(),
    "evidence_count": pl.Int32(),
    "warnings": pl.String(),
}
_ROW: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "sheet_name": pl.String(),
    "row_number": pl.Int32(),
    "criterion_code": pl.String(),
}
SCORE_COLUMNS: tables.Columns = {
    **_ROW,
    "score_text": pl.String(),
    "score_cell": pl.String(),
    "self_score": pl.Float64(),
    "explanation": pl.String(),
    "explanation_cell": pl.String(),
    "row_status": pl.String(),
    "issue": pl.String(),
}
EVIDENCE_COLUMNS: tables.Columns = {
    **_ROW,
    "code_cell": pl.String(),
    "document_number": pl.String(),
    "number_cell": pl.String(),
    "issued_on": pl.Date(),
    "issued_on_text": pl.String(),
    "date_cell": pl.String(),
    "issuer": pl.String(),
    "issuer_cell": pl.String(),
    "issuer_agency_key": pl.String(),
    "issuer_status": pl.String(),
    "summary": pl.String(),
    "link": pl.String(),
    "link_cell": pl.String(),
    "row_status": pl.String(),
    "issue": pl.String(),
}
LEDGER = Ledger(
    schema="raw_self_assessments",
    files_table="self_assessment_files",
    file_columns=FILE_COLUMNS,
    row_tables={"self_assessment_scores": SCORE_COLUMNS, "self_assessment_evidence": EVIDENCE_COLUMNS},
)


def file_frame(
    landed: Landed, *, reading: SelfAssessmentReading | None, rejection_reason: str | None
) -> pl.DataFrame:
    described: dict = {}
    if reading is not None:
        described = dict(
            agency_key=reading.agency_key,
            assessed_year=reading.assessed_year,
            criteria_set_key=reading.criteria_set_key,
            submitter=reading.submitter,
            phone=reading.phone,
            email=reading.email,
            score_count=len(reading.scores),
            evidence_count=len(reading.evidence),
            warnings="\n".join(reading.warnings) or None,
        )
    return LEDGER.file_frame(
        landed, status="loaded" if reading else "rejected", rejection_reason=rejection_reason, **described
    )


def score_frame(reading: SelfAssessmentReading | None) -> pl.DataFrame:
    rows = [
        {
            "sheet_name": SHEET,
            "row_number": score.row,
            "criterion_code": score.criterion_code,
            "score_text": score.score_text,
            "score_cell": score.score_cell,
            "self_score": score.self_score,
            "explanation": score.explanation,
            "explanation_cell": score.explanation_cell,
            "row_status": score.row_status,
            "issue": score.issue,
        }
        for score in (reading.scores if reading else ())
    ]
    return tables.frame(rows, SCORE_COLUMNS)


def evidence_frame(reading: SelfAssessmentReading | None) -> pl.DataFrame:
    rows = [
        {
            "sheet_name": EVIDENCE_SHEET,
            "row_number": item.row,
            "criterion_code": item.criterion_code,
            "code_cell": item.code_cell,
            "document_number": item.document_number,
            "number_cell": item.number_cell,
            "issued_on": item.issued_on,
            "issued_on_text": item.issued_on_text,
            "date_cell": item.date_cell,
            "issuer": item.issuer,
            "issuer_cell": item.issuer_cell,
            "issuer_agency_key": item.issuer_agency_key,
            "issuer_status": item.issuer_status,
            "summary": item.summary,
            "link": item.link,
            "link_cell": item.link_cell,
            "row_status": item.row_status,
            "issue": item.issue,
        }
        for item in (reading.evidence if reading else ())
    ]
    return tables.frame(rows, EVIDENCE_COLUMNS)
