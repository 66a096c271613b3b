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

from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter

import polars as pl

from pipelines.forms.report import layout
from pipelines.landing import tables
from pipelines.landing.ledger import Landed, Ledger, Rows
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


# a reading's rows in one raw table, each row the table's fields as a tuple (tuples of plain values are
# what a worker holds across its batch at least cost: the collector soon stops tracking them)
TableRows = dict[str, list[tuple]]


def row_tuples(reading: ReportReading | None) -> TableRows:
    """The indicator and task rows of a reading (None for a refused file), by raw table."""
    return {
        table: list(map(_FIELDS_OF[table], getattr(reading, attribute))) if reading else []
        for table, (attribute, _, _) in _TABLES.items()
    }


def batch_rows(files: Sequence[TableRows]) -> list[dict[str, Rows]]:
    """The rows of a batch of files, each raw table's as one frame for the batch, and each file's share
    of it: one frame a table, not one a file, is what a worker process pickles fast and the run writes
    without rebuilding."""
    shares: list[dict[str, Rows]] = [{} for _ in files]
    for table, (_, sheet, fields) in _TABLES.items():
        rows: list[tuple] = []
        spans = []
        for file in files:
            spans.append((len(rows), len(file[table])))
            rows += file[table]
        names = [name for name, _ in fields]
        # row by row → column by column (zip transposes in C)
        values = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in names]
        schema = {name: LEDGER.row_tables[table][name] for name in (*names, "sheet_name")}
        columns = {**dict(zip(names, values, strict=True)), "sheet_name": [sheet] * len(rows)}
        frame = pl.DataFrame(columns, schema=schema)
        for share, (offset, length) in zip(shares, spans, strict=True):
            share[table] = Rows(frame, offset, length)
    return shares


# raw column → the field of the reading's row it holds
_INDICATOR_FIELDS = (
    ("row_number", "row"),
    *(
        (name, name)
        for name in (
            "indicator_code",
            "is_percent",
            "target_text",
            "printed_target",
            "actual_text",
            "actual_cell",
            "actual_value",
            "numerator",
            "denominator",
            "is_computed",
            "row_status",
            "issue",
            "note",
        )
    ),
)
_TASK_FIELDS = (
    ("row_number", "row"),
    *(
        (name, name)
        for name in (
            "task_code",
            "stt",
            "status_text",
            "status_cell",
            "status_code",
            "completed_on",
            "row_status",
            "issue",
            "note",
        )
    ),
)
# raw table → the reading's attribute holding its rows, their sheet, and the fields of a row
_TABLES = {
    "report_indicator_values": ("indicators", layout.INDICATORS_SHEET, _INDICATOR_FIELDS),
    "report_task_status": ("tasks", layout.TASKS_SHEET, _TASK_FIELDS),
}
_FIELDS_OF = {table: attrgetter(*(field for _, field in fields)) for table, (_, _, fields) in _TABLES.items()}
