"""What the platform found in each report file, as the feedback and review workbooks print it: the file
refused and why, each row rejected or flagged with its sheet, cell and what was typed, each warning of
the reader, Sở Nội vụ's return and its reason, and the figures that jump. Read from the published copy
(report_submissions and its row marts), so the workbooks say what BI tools show."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from pipelines.forms.labels import EVIDENCE, REFUSED, RETURNED, ROW_REJECTED, WARNING, plain

TODO = {
    REFUSED: "Sửa tệp theo lý do này, kiểm tra bằng lệnh 'cchc check-report' rồi gửi lại.",
    ROW_REJECTED: "Sửa ô này rồi gửi lại cả tệp: dòng này chưa được tính.",
    WARNING: "Xem lại; nếu đúng thì không cần sửa.",
    RETURNED: "Sửa hoặc giải trình theo lý do Sở Nội vụ trả lại, rồi gửi lại tệp.",
    EVIDENCE: "Sửa, bổ sung tài liệu kiểm chứng hoặc ghi giải trình, rồi gửi lại tệp tự đánh giá.",
}
JUMP_VI = {
    "cumulative_fall": "số lũy kế giảm so với kỳ trước trong năm",
    "leap": "thay đổi lớn so với kỳ trước",
    "outlier": "khác xa các kỳ trước của cơ quan",
}
_SHEET = re.compile(r"[Tt]rang '([^']+)'")
_CELL = re.compile(r"\b[Ôô] ([A-Z]{1,3}[0-9]{1,7})\b")
_MORE_CELLS = re.compile(r",\s*[A-Z]{1,3}[0-9]")


@dataclass(frozen=True)
class Finding:
    kind: str  # forms.labels: REFUSED, ROW_REJECTED, WARNING or RETURNED
    sheet: str | None
    cell: str | None
    typed: str | None
    message: str

    @property
    def todo(self) -> str:
        return TODO[self.kind]


def placed(kind: str, message: str) -> Finding:
    """A finding whose sheet and cell are in its words ("Trang 'Thông tin chung' ô B9: …")."""
    sheet, cell = _SHEET.search(message), _CELL.search(message)
    if cell and _MORE_CELLS.match(message, cell.end()):
        cell = None  # "ô F6, F8, F9…": the words list the cells
    return Finding(kind, sheet and sheet.group(1), cell and cell.group(1), None, message)


_ROWS = """
select source_file, row_status, sheet_name, actual_cell as cell, actual_text as typed, row_issue,
    cast(regexp_extract(report_indicator_value_key, '#([0-9]+)$', 1) as integer) as row_number
from main.report_indicator_values
where list_contains($files, source_file) and row_status in ('rejected', 'flagged') and row_issue is not null
union all
select source_file, row_status, sheet_name, status_cell, status_text, row_issue,
    cast(regexp_extract(report_task_status_key, '#([0-9]+)$', 1) as integer)
from main.report_task_status
where list_contains($files, source_file) and row_status in ('rejected', 'flagged') and row_issue is not null
order by source_file, sheet_name, row_number
"""
_FILES = """
select source_file, rejection_reason, load_warnings, review_decision, review_reason
from main.report_submissions
where list_contains($files, source_file)
"""
_JUMPS = """
select jumps.source_file, jumps.indicator_code, indicators.indicator_name_vi, jumps.actual_cell,
    jumps.jump_kind, jumps.actual_value, jumps.compared_value, jumps.compared_period_key
from main.fact_report_value_jumps as jumps
left join main.dim_indicator as indicators using (indicator_code)
where list_contains($files, jumps.source_file)
order by jumps.source_file, jumps.actual_cell, jumps.jump_kind
"""


def findings(conn: duckdb.DuckDBPyConnection, files: Sequence[str]) -> dict[str, list[Finding]]:
    """Report file → its findings: the return first, then the refusal, the rows, the warnings."""
    wanted = {"files": list(files)}
    rows: dict[str, list[Finding]] = {}
    for file, status, sheet, cell, typed, issue, _ in conn.execute(_ROWS, wanted).fetchall():
        kind = ROW_REJECTED if status == "rejected" else WARNING
        named = placed(kind, issue)  # the words may name another cell of the row (an edited target)
        at = named.cell or cell
        rows.setdefault(file, []).append(
            Finding(kind, sheet, at, typed or None if at == cell else None, issue)
        )
    found: dict[str, list[Finding]] = {file: [] for file in files}
    for file, refusal, warnings, decision, reason in conn.execute(_FILES, wanted).fetchall():
        if decision == "returned":
            found[file].append(Finding(RETURNED, None, None, None, f"Sở Nội vụ trả lại: {reason}"))
        if refusal:
            found[file].append(placed(REFUSED, refusal))
        found[file].extend(rows.get(file, ()))
        found[file].extend(placed(WARNING, line) for line in (warnings or "").splitlines() if line.strip())
    return found


@dataclass(frozen=True)
class Jump:
    indicator: str
    cell: str | None
    kind: str
    value: float
    compared: float
    compared_period: str | None

    def __str__(self) -> str:
        against = f"kỳ {self.compared_period}" if self.compared_period else "trung vị các kỳ"
        where = f" (ô {self.cell})" if self.cell else ""
        return (
            f"{self.indicator}{where}: {plain(self.value)} so với {plain(self.compared)} {against}"
            f" – {JUMP_VI[self.kind]}"
        )


def jumps(conn: duckdb.DuckDBPyConnection, files: Sequence[str]) -> dict[str, list[Jump]]:
    """Report file → the figures of it that jump (fact_report_value_jumps: counted files only)."""
    found: dict[str, list[Jump]] = {file: [] for file in files}
    for file, code, name, cell, kind, value, compared, period in conn.execute(
        _JUMPS, {"files": list(files)}
    ).fetchall():
        found[file].append(Jump(name or code, cell, kind, value, compared, period))
    return found
