"""The appraisal workbook of a province's scoring round (`cchc appraisal-workbook`): every agency scored
that year, criterion by criterion, with the data's score, the agency's own and what is wrong with its
proof, the score proposed for the council, and the self-assessments to accept or return. Filled and
dropped into raw/appraisals, it is read back by the appraisals source.

Read from the published copy: the workbook says what BI tools show.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.forms.appraisal import AppraisalRow, FileRow, write_appraisal_workbook
from pipelines.forms.review import ACCEPT, RETURN

FOLDER = "tham-dinh"
SHOWN = 4  # findings listed on a row; the feedback workbook has them all
_SCORES = """
select
    scores.agency_key,
    scores.agency_name_vi,
    scores.criterion_code,
    scores.criterion_name_vi,
    scores.max_points,
    scores.data_score,
    scores.self_score,
    scores.evidence_status,
    scores.evidence_status_vi,
    scores.evidence_count,
    scores.appraised_score,
    scores.appraisal_reason,
    scores.self_assessment_file,
    files.content_hash,
    (
        select list(findings.finding_vi order by findings.row_number, findings.finding_code)
        from main.criterion_evidence_findings as findings
        where findings.criterion_score_key = scores.criterion_score_key
    ) as findings
from main.fact_criterion_score as scores
left join main.self_assessment_files as files on files.source_file = scores.self_assessment_file
left join main.dim_criterion as criteria using (criterion_key)
where scores.province_code = $province and scores.assessed_year = $year
order by scores.agency_level, scores.agency_name_vi, criteria.sort_order
"""
_FILES = """
select
    agency_key,
    coalesce(scores.agency_name_vi, files.agency_key) as agency_name_vi,
    files.source_file,
    files.content_hash,
    files.received_at,
    files.appraisal_decision,
    files.appraisal_reason,
    (
        select round(sum(claimed.claimed_score), 2)
        from main.fact_criterion_score as claimed
        where claimed.self_assessment_file = files.source_file and not claimed.is_survey
    ) as claimed
from main.self_assessment_files as files
left join (
    select distinct agency_key, agency_name_vi, province_code, assessed_year from main.fact_criterion_score
) as scores using (agency_key, assessed_year)
where files.file_status in ('counted', 'returned') and files.assessed_year = $year
    and coalesce(scores.province_code, split_part(files.agency_key, '.', 1)) = $province
order by agency_name_vi, files.received_at
"""


NO_PROOF = "Không có tài liệu kiểm chứng hoặc giải trình: điểm không được công nhận."


def _proposed(status: str, data: float | None, own: float | None) -> float | None:
    """The score proposed to the council for an agency whose self-assessment counts: the data's; none for
    the survey (Sở Nội vụ types it); 0 for a score without proof or nothing claimed; else its own. An
    agency with none gets no proposal at all (the caller's rule): the council has nothing of its to
    appraise."""
    if status == "data":
        return data
    if status == "survey":
        return None
    if status in ("missing", "not_scored", "not_assessed"):
        return 0.0
    return own


def _reason(status: str, proposed: float | None, own: float | None) -> str | None:
    """The reason that goes with a proposal that differs from what the agency claimed."""
    return NO_PROOF if status == "missing" and proposed != own else None


def _proof(status_vi: str, count: int, findings: list[str] | None) -> str:
    lines = [f"{status_vi} ({count} tài liệu)" if count else status_vi]
    shown = list(findings or [])
    lines += [f"• {line}" for line in shown[:SHOWN]]
    if len(shown) > SHOWN:
        lines.append(f"… và {len(shown) - SHOWN} điểm khác.")
    return "\n".join(lines)


def write_appraisal(
    conn: duckdb.DuckDBPyConnection, province: str, year: int, directory: Path, today: datetime
) -> Path:
    """Write tham-dinh-<province>-<year>.xlsx under `directory`; its path. ValueError for an unknown
    province."""
    named = conn.execute("select province_name_vi from main.dim_province where province_key = ?", [province])
    found = named.fetchone()
    if found is None:
        raise ValueError(f"No province {province!r} in dim_province (cchc agencies shows the keys)")
    params = {"province": province, "year": year}
    rows = [
        AppraisalRow(
            agency_key=agency,
            agency=name,
            code=code,
            criterion=criterion,
            max_points=maximum,
            data_score=data,
            self_score=own,
            proof=_proof(status_vi, count, findings),
            proposed=_proposed(status, data, own) if file else None,
            appraised=appraised,
            reason=reason if appraised is not None else _reason(status, _proposed(status, data, own), own),
            self_assessment_file=file,
            content_hash=digest,
        )
        for (
            agency,
            name,
            code,
            criterion,
            maximum,
            data,
            own,
            status,
            status_vi,
            count,
            appraised,
            reason,
            file,
            digest,
            findings,
        ) in conn.execute(_SCORES, params).fetchall()
    ]
    decided = {"accepted": ACCEPT, "returned": RETURN}
    files = [
        FileRow(agency, name, file, digest, received, claimed, decided.get(decision), reason)
        for agency, name, file, digest, received, decision, reason, claimed in conn.execute(
            _FILES, params
        ).fetchall()
    ]
    path = directory / f"tham-dinh-{province}-{year}.xlsx"
    return write_appraisal_workbook(path, province, found[0], year, today, rows, files)
