"""Feedback workbooks of self-assessments (phiếu phản hồi hồ sơ tự đánh giá), one per file, under
extracts/phan-hoi/<year>-tu-danh-gia/<agency>/: when the file was received, whether it counts and why
not, the council's decision on it and the reason, and every finding: the file refused, a row rejected, a
warning, and what is wrong with each document claimed as proof, with its sheet and cell. Written and
e-mailed like the reports' (`pipelines.extracts.feedback`), when what they say changed. Read from the
published copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.extracts.feedback import UNKNOWN, Feedback, deliver
from pipelines.extracts.findings import TODO, placed
from pipelines.forms.feedback import SELF_ASSESSMENT_TITLE
from pipelines.forms.labels import EVIDENCE, REFUSED, RETURNED, ROW_REJECTED, WARNING

_QUERY = """
select
    files.source_file, files.agency_key, files.assessed_year,
    coalesce(names.agency_name_vi, files.agency_key) as agency_name,
    files.received_at, files.file_status, files.rejection_reason, files.load_warnings, files.row_issues,
    files.appraisal_decision, files.appraisal_reason, files.appraiser, files.decided_at,
    files.submitter, files.phone, files.email
from main.self_assessment_files as files
left join (
    select distinct on (agency_key) agency_key, agency_name_vi
    from main.dim_agency
    order by agency_key, valid_from_on desc
) as names using (agency_key)
where ($agency is null or files.agency_key = $agency)
    and ($since is null or files.received_at >= $since or files.decided_at >= $since)
order by files.assessed_year, files.agency_key, files.received_at, files.source_file
"""
_FINDINGS = """
select source_file, sheet_name, cell, typed, finding_vi
from main.criterion_evidence_findings
where list_contains($files, source_file)
order by source_file, sheet_name, row_number, finding_code
"""
_STATUS = {
    "counted": "Được tính.",
    "superseded": "Không được tính: cơ quan đã gửi bản sau thay thế.",
    "returned": "Không được tính: Hội đồng thẩm định trả lại, chờ cơ quan gửi lại.",
    "duplicate": "Không được tính: trùng nội dung với một tệp đã nhận.",
    "rejected": "Không được tính: tệp bị từ chối (xem lý do bên dưới).",
}
_DECISION_VI = {"accepted": "Chấp nhận", "returned": "Trả lại"}
_REFUSED_TODO = "Sửa tệp theo lý do này (dùng phiếu do lệnh cchc self-assessment-template lập) rồi gửi lại."


def _facts(row: Mapping[str, object]) -> list[tuple[str, str]]:
    decision = _DECISION_VI.get(row["appraisal_decision"], "Chưa thẩm định")
    if row["appraisal_decision"]:
        decision += f" ({row['appraiser'] or 'không ghi người thẩm định'}, {row['decided_at']:%d/%m/%Y})"
    contact = ", ".join(str(row[key]) for key in ("submitter", "phone", "email") if row[key])
    return [
        ("Cơ quan", str(row["agency_name"] or "chưa xác định")),
        ("Năm đánh giá", str(row["assessed_year"] or "chưa xác định")),
        ("Tệp", str(row["source_file"])),
        ("Nhận lúc", f"{row['received_at']:%d/%m/%Y %H:%M}"),
        ("Tình trạng", _STATUS[row["file_status"]]),
        ("Kết quả thẩm định hồ sơ", decision),
        ("Lý do", str(row["appraisal_reason"] or "—")),
        ("Người lập", contact or "—"),
    ]


def _lines(row: Mapping[str, object], evidence: list[tuple]) -> list[tuple]:
    lines = []
    if row["appraisal_decision"] == "returned":
        lines.append(
            (
                RETURNED,
                None,
                None,
                None,
                f"Hội đồng thẩm định trả lại: {row['appraisal_reason']}",
                TODO[RETURNED],
            )
        )
    if row["rejection_reason"]:
        refused = placed(REFUSED, row["rejection_reason"])
        lines.append((REFUSED, refused.sheet, refused.cell, None, refused.message, _REFUSED_TODO))
    for kind, text in ((ROW_REJECTED, row["row_issues"]), (WARNING, row["load_warnings"])):
        for line in (text or "").splitlines():
            if line.strip():
                found = placed(kind, line)
                lines.append((kind, found.sheet, found.cell, None, found.message, found.todo))
    lines += [
        (EVIDENCE, sheet, cell, typed, message, TODO[EVIDENCE]) for sheet, cell, typed, message in evidence
    ]
    return lines


def write_self_assessment_feedback(
    conn: duckdb.DuckDBPyConnection,
    directory: Path,
    today: datetime,
    *,
    agency: str | None = None,
    days: int | None = None,
) -> tuple[list[Feedback], list[Feedback]]:
    """The feedback workbooks of the self-assessments asked for (an agency, received or decided in the last
    `days`), under `directory`: (written now because new or changed, all of them)."""
    since = today - timedelta(days=days) if days is not None else None
    cursor = conn.execute(_QUERY, {"agency": agency, "since": since})
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    evidence: dict[str, list[tuple]] = {}
    files = [row["source_file"] for row in rows]
    for file, *finding in conn.execute(_FINDINGS, {"files": files}).fetchall():
        evidence.setdefault(file, []).append(tuple(finding))
    written, every = [], []
    for row in rows:
        facts = _facts(row)
        folder = directory / f"{row['assessed_year'] or UNKNOWN}-tu-danh-gia" / (row["agency_key"] or UNKNOWN)
        subject = f"Phản hồi hồ sơ tự đánh giá Chỉ số CCHC năm {facts[1][1]} – {facts[0][1]}"
        feedback, new = deliver(
            folder,
            row["source_file"],
            facts,
            _lines(row, evidence.get(row["source_file"], [])),
            row["email"],
            subject,
            today,
            SELF_ASSESSMENT_TITLE,
        )
        every.append(feedback)
        if new:
            written.append(feedback)
    return written, every
