"""The chase list (danh sách đôn đốc) of a reporting period: every agency expected to report that has
not, or did late, with the days late, what it sent that was refused and who last reported for it, as
a workbook the Sở Nội vụ sends out the day after the due date.

Read from the published copy (bi.report_compliance, report_submissions): the list says what BI tools
show. One sheet per province, one row per agency, the most overdue first.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipelines.extracts.cells import put

# the widths fit the longest agency and level names; the refusal reason, last, runs on to the right
HEADERS = (
    ("STT", 5),
    ("Cơ quan", 48),
    ("Cấp", 34),
    ("Tình trạng", 10),
    ("Hạn nộp", 11),
    ("Ngày nhận", 16),
    ("Ngày trễ", 9),
    ("Tệp bị từ chối", 9),
    ("Người báo cáo gần nhất", 24),
    ("Lý do từ chối gần nhất", 60),
)
_QUERY = """
with refused as (
    select agency_key, period_key, rejection_reason,
        row_number() over (partition by agency_key, period_key order by received_at desc) as recency
    from main.report_submissions
    where submission_status = 'rejected' and agency_key is not null
),
reporters as (
    select agency_key, submitter,
        row_number() over (partition by agency_key order by received_at desc) as recency
    from main.report_submissions
    where submitter is not null
)
select
    compliance.province_key,
    compliance.agency_name_vi,
    compliance.agency_level_name_vi,
    compliance.compliance_status_vi,
    compliance.report_due_on,
    compliance.counted_received_at,
    coalesce(compliance.days_late, date_diff('day', compliance.report_due_on, $today)) as days_late,
    compliance.rejected_count,
    reporters.submitter,
    refused.rejection_reason
from bi.report_compliance as compliance
left join refused
    on refused.agency_key = compliance.agency_key
    and refused.period_key = compliance.period_key
    and refused.recency = 1
left join reporters on reporters.agency_key = compliance.agency_key and reporters.recency = 1
where compliance.period_key = $period
    and compliance.is_expected
    and compliance.compliance_status in ('missing', 'late')
order by compliance.province_key, compliance.compliance_status = 'missing' desc, days_late desc,
    compliance.agency_name_vi
"""


def latest_due_period(conn: duckdb.DuckDBPyConnection, today: datetime) -> str | None:
    """The last period whose report was due before `today`."""
    found = conn.execute(
        "select period_key from main.dim_period where report_due_on < ? order by report_due_on desc limit 1",
        [today.date()],
    ).fetchall()
    return found[0][0] if found else None


def write_chase_list(conn: duckdb.DuckDBPyConnection, period: str, directory: Path, today: datetime) -> Path:
    """Write the period's chase list under `directory` (don-doc-<period>.xlsx); the path written."""
    ((label,),) = conn.execute(
        "select period_label_vi from main.dim_period where period_key = ?", [period]
    ).fetchall()
    rows = conn.execute(_QUERY, {"period": period, "today": today.date()}).fetchall()
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    provinces = sorted({row[0] for row in rows}) or [None]
    names = dict(conn.execute("select province_key, province_name_vi from main.dim_province").fetchall())
    for province in provinces:
        sheet = workbook.create_sheet((names.get(province) or "Không có")[:31])
        put(sheet["A1"], f"Danh sách đôn đốc báo cáo cải cách hành chính – {label}").font = Font(
            bold=True, size=14
        )
        put(sheet["A2"], f"Lập ngày {today:%d/%m/%Y %H:%M} từ kho dữ liệu đã công bố.")
        for column, (header, width) in enumerate(HEADERS, start=1):
            cell = put(sheet.cell(row=4, column=column), header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            sheet.column_dimensions[get_column_letter(column)].width = width
        mine = [row for row in rows if row[0] == province]
        if not mine:
            put(sheet["A5"], "Mọi cơ quan đã báo cáo đúng hạn.")
        for number, row in enumerate(mine, start=1):
            _, agency, level, status, due, received, late, refused, reporter, reason = row
            values = (number, agency, level, status, due, received, late, refused or 0, reporter, reason)
            for column, value in enumerate(values, start=1):
                put(sheet.cell(row=4 + number, column=column), value)
            sheet.cell(row=4 + number, column=5).number_format = "dd/mm/yyyy"
            sheet.cell(row=4 + number, column=6).number_format = "dd/mm/yyyy hh:mm"
        sheet.freeze_panes = "C5"
        sheet.print_title_rows = "4:4"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    path = directory / f"don-doc-{period}.xlsx"
    directory.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp")
    workbook.save(staging)
    staging.replace(path)
    return path
