"""The review workbooks of a reporting period (phiếu xem xét báo cáo), one per province, for the Sở Nội vụ
that receives its agencies' reports: every report file that was read (counted, superseded, returned or
sent after the books closed), with its status, what the reader found and the figures that jump, and the
decision already taken on it, if any. Filled and dropped into raw/reviews, it is read back by the
reviews source (`cchc review-workbook`, and on the statutory tick with the chase list).

Read from the published copy: the workbook says what BI tools show.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.extracts.findings import findings, jumps
from pipelines.forms.labels import RETURNED
from pipelines.forms.review import ACCEPT, RETURN, ReviewRow, write_review_workbook
from pipelines.warehouse.periods import period as period_facts

FOLDER = "xem-xet"
SHOWN = 6  # findings listed in a row; the feedback workbook has them all
_QUERY = """
with reports as (
    select
        -- an agency the registry does not place in the period still has its report reviewed
        coalesce(compliance.province_key, split_part(submissions.agency_key, '.', 1)) as province_key,
        coalesce(compliance.agency_name_vi, submissions.agency_key) as agency_name_vi,
        submissions.source_file,
        submissions.content_hash,
        submissions.received_at,
        submissions.submission_status,
        submissions.submission_status_vi,
        submissions.is_after_close,
        submissions.review_decision,
        submissions.review_reason
    from main.report_submissions as submissions
    left join bi.report_compliance as compliance using (agency_key, period_key)
    where submissions.period_key = $period
        and submissions.submission_status not in ('duplicate', 'rejected')
)
select * from reports
where $province is null or province_key = $province
order by province_key, agency_name_vi, received_at, source_file
"""


def _status(status: str, status_vi: str, after_close: bool) -> str:
    return f"{status_vi} (nhận sau khóa sổ)" if after_close and status != "after_close" else status_vi


def _listed(lines: list[str]) -> str | None:
    shown = [f"• {line}" for line in lines[:SHOWN]]
    if len(lines) > SHOWN:
        shown.append(f"… và {len(lines) - SHOWN} điểm khác (xem phiếu phản hồi).")
    return "\n".join(shown) or None


def write_review_workbooks(
    conn: duckdb.DuckDBPyConnection,
    period: str,
    directory: Path,
    today: datetime,
    province: str | None = None,
) -> list[Path]:
    """Write the period's review workbook of each province with reports (of `province` alone if given)
    under `directory` (xem-xet-<province>-<period>.xlsx); the paths written."""
    facts = period_facts(conn, period)
    if facts is None:
        raise ValueError(f"No reporting period {period!r} in dim_period")
    known = "select count(*) from main.dim_province where province_key = ?"
    if province and not conn.execute(known, [province]).fetchone()[0]:
        raise ValueError(f"No province {province!r} in dim_province (cchc agencies shows the keys)")
    rows = conn.execute(_QUERY, {"period": period, "province": province}).fetchall()
    files = [row[2] for row in rows]
    found, jumped = findings(conn, files), jumps(conn, files)
    decided = {"accepted": ACCEPT, "returned": RETURN}
    by_province: dict[str, list[ReviewRow]] = {}
    for (
        province_key,
        agency,
        file,
        digest,
        received,
        status,
        status_vi,
        after_close,
        decision,
        reason,
    ) in rows:
        by_province.setdefault(province_key, []).append(
            ReviewRow(
                agency=agency,
                report_file=file,
                report_hash=digest,
                received_at=received,
                status=_status(status, status_vi, after_close),
                findings=_listed([f"{f.kind}: {f.message}" for f in found[file] if f.kind != RETURNED]),
                jumps=_listed([str(jump) for jump in jumped[file]]),
                decision=decided.get(decision),
                reason=reason,
            )
        )
    if province and not by_province:
        by_province[province] = []
    return [
        write_review_workbook(
            directory / f"xem-xet-{key}-{period}.xlsx", period, facts.period_label_vi, today, listed
        )
        for key, listed in sorted(by_province.items())
    ]
