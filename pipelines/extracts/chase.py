"""The chase list (danh sách đôn đốc) of a reporting period: every agency expected to report that has
not, whose report Sở Nội vụ returned (trả lại – chờ gửi lại), that sent only after the books closed, or
that reported late, with the days late, the last reason a file was refused or returned, and who last
reported for it (name, phone and e-mail from the agency's latest general sheet, whatever the period),
as a workbook the Sở Nội vụ sends out the day after the due date, or for any period on demand
(`cchc chase-list`).

Read from the published copy (bi.report_compliance, report_submissions): the list says what BI tools
show. One sheet per province, one row per agency, the most overdue first.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.forms.chase import write_chase_workbook
from pipelines.warehouse.periods import period as period_facts

_QUERY = """
with refused as (
    select agency_key, period_key,
        coalesce(rejection_reason, 'Sở Nội vụ trả lại: ' || review_reason) as rejection_reason,
        row_number() over (partition by agency_key, period_key order by received_at desc) as recency
    from main.report_submissions
    where submission_status in ('rejected', 'returned') and agency_key is not null
),
reporters as (
    select agency_key, concat_ws(chr(10), submitter, phone, email) as contact,
        row_number() over (partition by agency_key order by received_at desc) as recency
    from main.report_submissions
    where coalesce(submitter, phone, email) is not null
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
    reporters.contact,
    refused.rejection_reason
from bi.report_compliance as compliance
left join refused
    on refused.agency_key = compliance.agency_key
    and refused.period_key = compliance.period_key
    and refused.recency = 1
left join reporters on reporters.agency_key = compliance.agency_key and reporters.recency = 1
where compliance.period_key = $period
    and compliance.is_expected
    and compliance.compliance_status in ('missing', 'returned', 'after_close', 'late')
order by compliance.province_key,
    list_position(['missing', 'returned', 'after_close', 'late'], compliance.compliance_status),
    days_late desc, compliance.agency_name_vi, compliance.agency_key
"""


def write_chase_list(conn: duckdb.DuckDBPyConnection, period: str, directory: Path, today: datetime) -> Path:
    """Write the period's chase list under `directory` (don-doc-<period>.xlsx); the path written."""
    facts = period_facts(conn, period)
    if facts is None:
        raise ValueError(f"No reporting period {period!r} in dim_period")
    rows = conn.execute(_QUERY, {"period": period, "today": today.date()}).fetchall()
    names = dict(conn.execute("select province_key, province_name_vi from main.dim_province").fetchall())
    by_province = [
        (names.get(province) or "Không có", [row[1:] for row in rows if row[0] == province])
        for province in sorted({row[0] for row in rows}, key=lambda key: key or "") or [None]
    ]
    return write_chase_workbook(
        directory / f"don-doc-{period}.xlsx", facts.period_label_vi, today, by_province
    )
