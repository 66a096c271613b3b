"""Plan tables in the warehouse's `raw_plans` schema: polars frames in, one document at a time.

`plan_documents` is the plans' ledger (landing.ledger): one row per file now in raw/plans, with what it
was read as or why it was rejected; `plan_document_versions` every content a file has had.
"""

from __future__ import annotations

import polars as pl

from pipelines.landing import tables
from pipelines.landing.ledger import Landed, Ledger
from pipelines.sources.plans.parse import ParsedPlan

DOCUMENT_COLUMNS: tables.Columns = {
    "document_number": pl.String(),
    "document_symbol": pl.String(),
    "title": pl.String(),
    "issuer_raw": pl.String(),
    "issuer_agency_key": pl.String(),
    "province_code": pl.String(),
    "place": pl.String(),
    "issued_on": pl.Date(),
    "period_start_year": pl.Int32(),
    "period_end_year": pl.Int32(),
    "parent_plan_kind": pl.String(),
    "parent_plan_number": pl.String(),
    "parent_plan_issued_on": pl.Date(),
    "target_count": pl.Int32(),
    "task_count": pl.Int32(),
}
TARGET_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "target_seq": pl.Int32(),
    "area_code": pl.String(),
    "sub_area_code": pl.String(),
    "indicator_code": pl.String(),
    "target_value": pl.Float64(),
    "value_text": pl.String(),
    "unit": pl.String(),
    "comparator": pl.String(),
    "agency_level": pl.String(),
    "target_year": pl.Int32(),
    "sentence": pl.String(),
    "is_implausible": pl.Boolean(),
    "is_low_confidence": pl.Boolean(),
    "source_line": pl.Int32(),
    "source_page": pl.Int32(),
}
TASK_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "task_seq": pl.Int32(),
    "stt": pl.String(),
    "area_code": pl.String(),
    "sub_area_code": pl.String(),
    "section_heading": pl.String(),
    "objective": pl.String(),
    "task": pl.String(),
    "activity": pl.String(),
    "output": pl.String(),
    "lead_raw": pl.String(),
    "coordinating_raw": pl.String(),
    "deadline_text": pl.String(),
    "due_on": pl.Date(),
    "recurrence": pl.String(),
    "is_low_confidence": pl.Boolean(),
    "area_placed_by": pl.String(),
    "source_line": pl.Int32(),
    "source_page": pl.Int32(),
    "table_row": pl.Int32(),
}
TASK_AGENCY_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "task_seq": pl.Int32(),
    "agency_role": pl.String(),
    "position": pl.Int32(),
    "raw_name": pl.String(),
    "agency_key": pl.String(),
    "resolution_status": pl.String(),
    "group_role": pl.String(),
    "candidate_keys": pl.String(),
}
LEDGER = Ledger(
    schema="raw_plans",
    files_table="plan_documents",
    file_columns=DOCUMENT_COLUMNS,
    row_tables={
        "plan_targets": TARGET_COLUMNS,
        "plan_tasks": TASK_COLUMNS,
        "plan_task_agencies": TASK_AGENCY_COLUMNS,
    },
)


def document_frame(
    landed: Landed, *, parsed: ParsedPlan | None, rejection_reason: str | None
) -> pl.DataFrame:
    described: dict = {}
    if parsed is not None:
        meta = parsed.metadata
        described = dict(
            document_number=meta.number,
            document_symbol=meta.symbol,
            title=meta.title,
            issuer_raw=meta.issuer_raw,
            issuer_agency_key=meta.issuer_agency_key,
            province_code=meta.province_code,
            place=meta.place,
            issued_on=meta.issued_on,
            period_start_year=meta.period_start_year,
            period_end_year=meta.period_end_year,
            parent_plan_kind=meta.parent.kind if meta.parent else None,
            parent_plan_number=meta.parent.number if meta.parent else None,
            parent_plan_issued_on=meta.parent.issued_on if meta.parent else None,
            target_count=len(parsed.targets),
            task_count=len(parsed.tasks),
        )
    return LEDGER.file_frame(
        landed,
        status="parsed" if parsed else "rejected",
        rejection_reason=rejection_reason,
        **described,
    )


def target_frame(parsed: ParsedPlan | None) -> pl.DataFrame:
    rows = [
        {
            "target_seq": t.seq,
            "area_code": t.area_code,
            "sub_area_code": t.sub_area_code,
            "indicator_code": t.indicator_code,
            "target_value": t.value,
            "value_text": t.value_text,
            "unit": t.unit,
            "comparator": t.comparator,
            "agency_level": t.level,
            "target_year": t.target_year,
            "sentence": t.text,
            "is_implausible": t.is_implausible,
            "is_low_confidence": t.is_low_confidence,
            "source_line": t.source_line,
            "source_page": t.source_page,
        }
        for t in (parsed.targets if parsed else ())
    ]
    return tables.frame(rows, TARGET_COLUMNS)


def task_frames(
    parsed: ParsedPlan | None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    tasks: list[dict] = []
    agencies: list[dict] = []
    for t in parsed.tasks if parsed else ():
        tasks.append(
            {
                "task_seq": t.seq,
                "stt": t.stt,
                "area_code": t.area_code,
                "sub_area_code": t.sub_area_code,
                "section_heading": t.section,
                "objective": t.objective,
                "task": t.task,
                "activity": t.activity,
                "output": t.output,
                "lead_raw": t.lead_raw,
                "coordinating_raw": t.coordinating_raw,
                "deadline_text": t.deadline_text,
                "due_on": t.deadline,
                "recurrence": t.recurrence,
                "is_low_confidence": t.is_low_confidence,
                "area_placed_by": t.area_placed_by,
                "source_line": t.source_line,
                "source_page": t.source_page,
                "table_row": t.table_row,
            }
        )
        for role, refs in (("lead", t.lead), ("coordinating", t.coordinating)):
            for position, ref in enumerate(refs, start=1):
                agencies.append(
                    {
                        "task_seq": t.seq,
                        "agency_role": role,
                        "position": position,
                        "raw_name": ref.raw,
                        "agency_key": ref.agency_key,
                        "resolution_status": ref.status,
                        "group_role": ref.group_role,
                        "candidate_keys": ", ".join(ref.candidates) or None,
                    }
                )
    return tables.frame(tasks, TASK_COLUMNS), tables.frame(agencies, TASK_AGENCY_COLUMNS)
