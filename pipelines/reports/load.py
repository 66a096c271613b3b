"""Report tables in the warehouse's `raw_reports` schema, one submitted file at a time.

`report_submissions` holds one row per file now in raw/reports with what it was read as (agency,
period, template version) or why it was rejected; `report_indicator_values` and
`report_task_status` its rows, each with the sheet and cell it came from, the text as typed and a
row status. `report_submission_versions` keeps every content a file has had. Which submission counts
(the latest for an agency and period; a byte-identical copy is a duplicate) is decided in dbt.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import polars as pl

from pipelines.reports import layout
from pipelines.reports.read import ReportReading
from pipelines.warehouse import tables

SCHEMA = "raw_reports"

SUBMISSION_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "parser_version": pl.String(),
    "received_at": pl.Datetime("us"),
    "ingested_at": pl.Datetime("us"),
    "archived_path": pl.String(),
    "status": pl.String(),
    "rejection_reason": pl.String(),
    "agency_key": pl.String(),
    "period_key": pl.String(),
    "template_version": pl.String(),
    "submitter": pl.String(),
    "reported_on": pl.Date(),
    "warnings": pl.String(),
}
VERSION_COLUMNS = (
    "source_file",
    "content_hash",
    "received_at",
    "ingested_at",
    "archived_path",
    "status",
    "rejection_reason",
    "agency_key",
    "period_key",
)
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
TABLES: dict[str, tables.Columns] = {
    "report_submissions": SUBMISSION_COLUMNS,
    "report_submission_versions": {name: SUBMISSION_COLUMNS[name] for name in VERSION_COLUMNS},
    "report_indicator_values": INDICATOR_COLUMNS,
    "report_task_status": TASK_COLUMNS,
}


def ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    tables.ensure_tables(conn, SCHEMA, TABLES)


def submission_frame(
    source_file: str,
    content_hash: str,
    parser_version: str,
    received_at: datetime,
    archived_path: str,
    *,
    reading: ReportReading | None,
    rejection_reason: str | None,
    identified: tuple[str, str] | None = None,
) -> pl.DataFrame:
    """One submission row; a rejected file keeps the agency and period it could be identified as."""
    row: dict = dict.fromkeys(SUBMISSION_COLUMNS)
    row.update(
        source_file=source_file,
        content_hash=content_hash,
        parser_version=parser_version,
        received_at=received_at,
        ingested_at=datetime.now(UTC).replace(tzinfo=None),
        archived_path=archived_path,
        status="accepted" if reading else "rejected",
        rejection_reason=rejection_reason,
    )
    if identified is not None:
        row.update(agency_key=identified[0], period_key=identified[1])
    if reading is not None:
        row.update(
            agency_key=reading.agency_key,
            period_key=reading.period_key,
            template_version=reading.template_version,
            submitter=reading.submitter,
            reported_on=reading.reported_on,
            warnings="\n".join(reading.warnings) or None,
        )
    return tables.frame([row], SUBMISSION_COLUMNS)


def value_frames(
    reading: ReportReading | None, source_file: str, content_hash: str
) -> tuple[pl.DataFrame, ...]:
    common = {"source_file": source_file, "content_hash": content_hash}
    indicators = [
        {
            **common,
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
            **common,
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
    return tables.frame(indicators, INDICATOR_COLUMNS), tables.frame(tasks, TASK_COLUMNS)


def ledger(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str, str | None]]:
    """Source file → (content hash, parser version, period key) of what raw_reports holds now."""
    exists = conn.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [SCHEMA, "report_submissions"],
    ).fetchone()[0]
    if not exists:
        return {}
    rows = conn.execute(
        f"select source_file, content_hash, parser_version, period_key from {SCHEMA}.report_submissions"
    ).fetchall()
    return {source_file: (digest, version, period) for source_file, digest, version, period in rows}


def replace_file(
    conn: duckdb.DuckDBPyConnection, submission: pl.DataFrame, indicators: pl.DataFrame, tasks: pl.DataFrame
) -> None:
    """Replace one file's rows and record its version, in the caller's transaction."""
    source_file = submission["source_file"][0]
    tables.replace_file_rows(conn, f"{SCHEMA}.report_submissions", submission, source_file)
    tables.replace_file_rows(conn, f"{SCHEMA}.report_indicator_values", indicators, source_file)
    tables.replace_file_rows(conn, f"{SCHEMA}.report_task_status", tasks, source_file)
    tables.append(
        conn,
        f"{SCHEMA}.report_submission_versions",
        submission.select(VERSION_COLUMNS),
        unless_seen="seen.source_file = incoming.source_file and seen.content_hash = incoming.content_hash",
    )


def forget_files(conn: duckdb.DuckDBPyConnection, gone: list[str]) -> None:
    """Drop current rows of files no longer in raw/reports (their versions and archive stay)."""
    for source_file in gone:
        for table in ("report_submissions", "report_indicator_values", "report_task_status"):
            conn.execute(f"delete from {SCHEMA}.{table} where source_file = ?", [source_file])
