"""A decision row of a form Sở Nội vụ fills: "Kết quả xem xét" (Chấp nhận / Trả lại, case and accents
aside) and "Lý do", bound by two hidden columns ("Mã tệp", "Mã nội dung") to the file and the content it
decides. The review workbook decides report files this way, the appraisal workbook self-assessments.

A row is judged alone: a word that is no decision, a return without a reason, or a row whose hidden key
was cleared is rejected with its sheet and cell and decides nothing. A row with nothing in "Kết quả xem
xét" is no decision (a reason alone decides nothing: the reader may warn)."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.formats import filled
from pipelines.formats.workbooks import Sheet, cell_address
from pipelines.forms.review import ACCEPT, DECISION, DECISIONS, REASON, REPORT_FILE, REPORT_HASH, RETURN
from pipelines.text.normalize import fold

ACCEPTED, RETURNED = DECISIONS[ACCEPT], DECISIONS[RETURN]
ROW_ACCEPTED, ROW_REJECTED = "accepted", "rejected"
COLUMNS = (DECISION, REASON, REPORT_FILE, REPORT_HASH)
_WORDS = {fold(word): decision for word, decision in DECISIONS.items()}


@dataclass(frozen=True)
class Decision:
    row: int  # 1-based, as Excel shows it
    file: str
    content_hash: str
    decision_text: str
    decision_cell: str
    decision: str | None  # ACCEPTED or RETURNED; None for a rejected row
    reason: str | None
    row_status: str
    issue: str | None = None


def read_decision(sheet: Sheet, row: int, columns: dict[str, int], who: str = "đơn vị") -> Decision | None:
    """The decision on 0-based `row` (columns: COLUMNS → 0-based column), or None when none was typed;
    `who` is whom a return must tell what to fix."""
    typed = filled.text(sheet, row, columns[DECISION])
    if not typed:
        return None
    reason = filled.text(sheet, row, columns[REASON]) or None
    cell = cell_address(row, columns[DECISION])
    file = filled.text(sheet, row, columns[REPORT_FILE])
    digest = filled.text(sheet, row, columns[REPORT_HASH])
    decision = _WORDS.get(fold(typed))
    where = f"Trang '{sheet.name}' ô"
    issue = None
    if not file or not digest:
        key = cell_address(row, columns[REPORT_FILE if not file else REPORT_HASH])
        issue = (
            f"{where} {key} (cột ẩn '{REPORT_FILE}', '{REPORT_HASH}') trống: không biết dòng {row + 1}"
            " xét tệp nào."
        )
    elif decision is None:
        issue = f"{where} {cell}: '{typed}' không phải kết quả xem xét; chọn '{ACCEPT}' hoặc '{RETURN}'."
    elif decision == RETURNED and not reason:
        reason_cell = cell_address(row, columns[REASON])
        issue = f"{where} {reason_cell}: trả lại mà không ghi lý do; {who} cần biết phải sửa gì."
    return Decision(
        row=row + 1,
        file=file,
        content_hash=digest,
        decision_text=typed,
        decision_cell=cell,
        decision=None if issue else decision,
        reason=reason,
        row_status=ROW_REJECTED if issue else ROW_ACCEPTED,
        issue=issue,
    )
