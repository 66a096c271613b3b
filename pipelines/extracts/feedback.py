"""Feedback workbooks (phiếu phản hồi), one per report file, under extracts/phan-hoi/<period>/<agency>/:
when the file was received, whether it counts and why not, Sở Nội vụ's decision and reason once there is
one, and every finding with its sheet, cell, what was typed and what to do.

A workbook's name ends with a digest of what it says, so a build writes (and e-mails, to the address
the clerk gave on the general sheet, when SMTP is configured) only the workbooks whose content changed:
a new file, a decision, a corrected reader. The build writes those of files received or reviewed in the
last `days`; `cchc feedback` writes any on demand. Read from the published copy.
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from pipelines import mail
from pipelines.extracts.findings import findings
from pipelines.forms.feedback import TITLE_TEXT, FindingRow, write_feedback_workbook

log = logging.getLogger(__name__)
FOLDER = "phan-hoi"
_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")
UNKNOWN = "chua-xac-dinh"  # a refused file that names no agency or period
_QUERY = """
select
    submissions.source_file,
    submissions.content_hash,
    submissions.agency_key,
    submissions.period_key,
    coalesce(agencies.agency_name_vi, submissions.agency_key) as agency_name,
    periods.period_label_vi,
    submissions.received_at,
    submissions.submission_status,
    submissions.submission_status_vi,
    submissions.is_after_close,
    submissions.report_due_on,
    submissions.closes_on,
    submissions.review_decision,
    submissions.review_reason,
    submissions.reviewer,
    submissions.reviewed_at,
    submissions.submitter,
    submissions.phone,
    submissions.email
from main.report_submissions as submissions
left join main.dim_period as periods using (period_key)
left join main.dim_agency as agencies
    on agencies.agency_key = submissions.agency_key
    and coalesce(periods.period_end_on, current_date) between agencies.valid_from_on
        and coalesce(agencies.valid_to_on, date '9999-12-31')
where ($agency is null or submissions.agency_key = $agency)
    and ($period is null or submissions.period_key = $period)
    and ($since is null or submissions.received_at >= $since or submissions.reviewed_at >= $since)
order by submissions.period_key, submissions.agency_key, submissions.received_at, submissions.source_file
"""
_WHY_NOT = {
    "superseded": "Không được tính: đơn vị đã gửi bản sau thay thế.",
    "returned": "Không được tính: Sở Nội vụ trả lại, chờ đơn vị gửi lại.",
    "after_close": "Chưa được tính: nhận sau khóa sổ, chờ Sở Nội vụ xem xét.",
    "duplicate": "Không được tính: trùng nội dung với một tệp đã nhận.",
    "rejected": "Không được tính: tệp bị từ chối (xem lý do bên dưới).",
}
_DECISION_VI = {"accepted": "Chấp nhận", "returned": "Trả lại"}


@dataclass(frozen=True)
class Feedback:
    source_file: str
    path: Path
    email: str | None
    subject: str
    summary: str


def _day(value: object) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def _facts(row: Mapping[str, object]) -> list[tuple[str, str]]:
    status = row["submission_status"]
    counted = "Được tính." if status == "accepted" else _WHY_NOT[status]
    if row["is_after_close"] and status == "accepted":
        counted = "Được tính: nhận sau khóa sổ, Sở Nội vụ đã chấp nhận."
    decision = _DECISION_VI.get(row["review_decision"], "Chưa xem xét")
    if row["review_decision"]:
        decision += f" ({row['reviewer'] or 'không ghi người xem xét'}, {row['reviewed_at']:%d/%m/%Y})"
    contact = ", ".join(str(row[key]) for key in ("submitter", "phone", "email") if row[key])
    return [
        ("Cơ quan", str(row["agency_name"] or "chưa xác định")),
        ("Kỳ báo cáo", str(row["period_label_vi"] or row["period_key"] or "chưa xác định")),
        ("Tệp", str(row["source_file"])),
        ("Nhận lúc", f"{row['received_at']:%d/%m/%Y %H:%M}"),
        ("Hạn nộp, khóa sổ", f"hạn {_day(row['report_due_on'])}; khóa sổ {_day(row['closes_on'])}"),
        ("Tình trạng", f"{row['submission_status_vi']}. {counted}"),
        ("Kết quả xem xét", decision),
        ("Lý do", str(row["review_reason"] or "—")),
        ("Người lập báo cáo", contact or "—"),
    ]


def _stem(source_file: str) -> str:
    """The file's path made a name, and a digest of the path: q3.xls and q3.xlsx, a/b.xlsx and a_b.xlsx
    never share their workbooks."""
    flat = re.sub(r"[^\w.-]+", "_", Path(source_file).with_suffix("").as_posix().replace("/", "_"))
    return f"phan-hoi-{flat}-{hashlib.sha256(source_file.encode()).hexdigest()[:6]}"


def _earlier(folder: Path, source_file: str) -> list[Path]:
    """The feedback workbooks written before for this file (not those of a file whose name starts alike)."""
    own = re.compile(rf"{re.escape(_stem(source_file))}-[0-9a-f]{{10}}\.xlsx")
    return [path for path in folder.glob("phan-hoi-*.xlsx") if own.fullmatch(path.name)]


def write_feedback(
    conn: duckdb.DuckDBPyConnection,
    directory: Path,
    today: datetime,
    *,
    agency: str | None = None,
    period: str | None = None,
    days: int | None = None,
) -> tuple[list[Feedback], list[Feedback]]:
    """The feedback workbooks of the submissions asked for (an agency, a period, received or reviewed in
    the last `days`), under `directory`: (written now because new or changed, all of them)."""
    since = today - timedelta(days=days) if days is not None else None
    cursor = conn.execute(_QUERY, {"agency": agency, "period": period, "since": since})
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    found = findings(conn, [row["source_file"] for row in rows])
    written, every = [], []
    for row in rows:
        facts = _facts(row)
        lines = [(f.kind, f.sheet, f.cell, f.typed, f.message, f.todo) for f in found[row["source_file"]]]
        folder = directory / (row["period_key"] or UNKNOWN) / (row["agency_key"] or UNKNOWN)
        subject = f"Phản hồi báo cáo CCHC – {facts[1][1]} – {facts[0][1]}"
        feedback, new = deliver(folder, row["source_file"], facts, lines, row["email"], subject, today)
        every.append(feedback)
        if new:
            written.append(feedback)
    return written, every


def deliver(
    folder: Path,
    source_file: str,
    facts: list[tuple[str, str]],
    lines: list[FindingRow],
    email: str | None,
    subject: str,
    today: datetime,
    title: str = TITLE_TEXT,
) -> tuple[Feedback, bool]:
    """The feedback of one received file in `folder`: written (replacing its earlier state) unless a
    workbook saying exactly this is already there; (the feedback, whether it was written now)."""
    digest = hashlib.sha256(repr((facts, lines)).encode()).hexdigest()[:10]
    path = folder / f"{_stem(source_file)}-{digest}.xlsx"
    summary = "\n".join(f"{label}: {value}" for label, value in facts)
    feedback = Feedback(
        source_file,
        path,
        email,
        subject,
        f"{summary}\n\n{len(lines)} điểm cần xem: chi tiết trong tệp đính kèm.",
    )
    if path.exists():
        return feedback, False
    for old in _earlier(folder, source_file):
        old.unlink()  # an earlier state of the same file's feedback
    write_feedback_workbook(path, facts, lines, today, title)
    return feedback, True


def _address(typed: str | None) -> str | None:
    """The clerk's e-mail as typed, if it is one address ("a@b.vn", spaces and line breaks dropped)."""
    address = "".join((typed or "").split())
    return address if _EMAIL.fullmatch(address) else None


def send_feedback(written: list[Feedback], environment: Mapping[str, str]) -> tuple[int, list[str]]:
    """E-mail each workbook written now to the clerk's address, when SMTP is configured: how many went,
    and the files whose mail failed. A mail that failed on the way (the server down, the connection cut)
    takes its workbook back, so the next build writes and sends it again; an address the server refuses,
    or typed as no address, is not tried again."""
    if not mail.configured(environment):
        return 0, []
    sent, failed = 0, []
    for feedback in written:
        if feedback.email is None:
            continue
        address = _address(feedback.email)
        try:
            if address is None:
                raise ValueError(f"not an e-mail address: {feedback.email!r}")
            mail.send(feedback.subject, feedback.summary, address, environment, [feedback.path])
            sent += 1
        except (ValueError, smtplib.SMTPRecipientsRefused) as refused:
            log.warning("feedback of %s not e-mailed: %s", feedback.source_file, refused)
            failed.append(feedback.source_file)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("feedback of %s not e-mailed, sent next build: %s", feedback.source_file, error)
            feedback.path.unlink(missing_ok=True)
            failed.append(feedback.source_file)
    return sent, failed
