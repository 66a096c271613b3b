"""Report tables in the warehouse's `raw_reports` schema, one submitted file at a time.

`report_submissions` holds one row per file now in raw/reports with what it was read as (agency,
period, template version) or why it was rejected; `report_indicator_values` and
`report_task_status` its rows, each with the sheet and cell it came from, the text as typed and a
row status. `report_submission_versions` keeps every content a file has had. `report_submissions`
is the reports' ledger (landing.ledger), with the period each file was read for as its partition.
Which submission counts (the latest for an agency and period; a byte-identical copy is a duplicate)
is decided in dbt.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from pipelines.forms.report import layout
from pipelines.landing import tables
from pipelines.landing.ledger import Landed, Ledger
from pipelines.sources.reports.read import ReportReading

SUBMISSION_COLUMNS: tables.Columns = {
    "received_at": pl.Datetime("us"),
    "agency_key": pl.String(),
    "period_key": pl.String(),
    "template_version": pl.String(),
    "submitter": pl.String(),
    "phone": pl.String(),
    "email": pl.String(),
    "reported_on": pl.Date(),
    "warnings": pl.String(),
}
INDICATOR_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "sheet_name": pl.String(),
    "row_number": pl.Int32(),
    "indicator_code": pl.String(),
    "is_percent": pl.Boolean(),
    "target_text": pl.String(),
    "printed_target": pl.Float64(),
    "actual_text": pl.String(),
    "actual_cell": pl.String(),
    "actual_value": pl.Float64(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
    "is_computed": pl.Boolean(),
    "row_status": pl.String(),
    "issue": pl.String(),
    "note": pl.String(),
}
TASK_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "sheet_name": pl.String(),
    "row_number": pl.Int32(),
    "task_code": pl.String(),
    "stt": pl.String(),
    "status_text": pl.String(),
    "status_cell": pl.String(),
    "status_code": pl.String(),
    "completed_on": pl.Date(),
    "row_status": pl.String(),
    "issue": pl.String(),
    "note": pl.String(),
}
LEDGER = Ledger(
    schema="raw_reports",
    files_table="report_submissions",
    file_columns=SUBMISSION_COLUMNS,
    row_tables={"report_indicator_values": INDICATOR_COLUMNS, "report_task_status": TASK_COLUMNS},
    versioned_columns=("received_at", "agency_key", "period_key"),
    partition_column="period_key",
)


def submission_record(
    landed: Landed,
    received_at: datetime,
    *,
    reading: ReportReading | None,
    rejection_reason: str | None,
    identified: tuple[str, str] | None = None,
) -> dict[str, object]:
    """One submission row; a rejected file keeps the agency and period it could be identified as."""
    described: dict = {"received_at": received_at}
    if identified is not None:
        described.update(agency_key=identified[0], period_key=identified[1])
    if reading is not None:
        described.update(
            agency_key=reading.agency_key,
            period_key=reading.period_key,
            template_version=reading.template_version,
            submitter=reading.submitter,
            phone=reading.phone,
            email=reading.email,
            reported_on=reading.reported_on,
            warnings="\n".join(reading.warnings) or None,
        )
    return LEDGER.file_record(
        landed,
        status="accepted" if reading else "rejected",
        rejection_reason=rejection_reason,
        **described,
    )


def value_records(reading: ReportReading | None) -> dict[str, list[dict[str, object]]]:
    """The indicator and task rows of a reading, by raw table."""
    indicators = [
        {
            "sheet_name": layout.INDICATORS_SHEET,
            "row_number": v.row,
            "indicator_code": v.indicator_code,
            "is_percent": v.is_percent,
            "target_text": v.target_text,
            "printed_target": v.printed_target,
            "actual_text": v.actual_text,
            "actual_cell": v.actual_cell,
            "actual_value": v.actual_value,
            "numerator": v.numerator,
            "denominator": v.denominator,
            "is_computed": v.is_computed,
            "row_status": v.row_status,
            "issue": v.issue,
            "note": v.note,
        }
        for v in (reading.indicators if reading else ())
    ]
    tasks = [
        {
            "sheet_name": layout.TASKS_SHEET,
            "row_number": t.row,
            "task_code": t.task_code,
            "stt": t.stt,
            "status_text": t.status_text,
            "status_cell": t.status_cell,
            "status_code": t.status_code,
            "completed_on": t.completed_on,
            "row_status": t.row_status,
            "issue": t.issue,
            "note": t.note,
        }
        for t in (reading.tasks if reading else ())
    ]
    return {"report_indicator_values": indicators, "report_task_status": tasks}
