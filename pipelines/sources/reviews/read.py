"""A review workbook filled by Sở Nội vụ (see `pipelines.forms.review`): the period it is for, who
reviewed, and one decision per row where "Kết quả xem xét" is filled.

A file that is not a review workbook the platform wrote (no hidden block, no sheet "Xem xét", no header
row) is refused whole with a reason for the officer. A row is judged alone: a decision that is neither
"Chấp nhận" nor "Trả lại", a return without a reason, or a row whose hidden key was cleared is rejected
with its sheet and cell, and decides nothing; the other rows of the file still count. A row left blank
is no decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipelines.formats import filled
from pipelines.formats.workbooks import (
    Sheet,
    WorkbookRejected,
    cell_address,
    labelled,
    read_workbook,
)
from pipelines.forms import review as form
from pipelines.forms.report.layout import FIRST_YEAR, META_PERIOD, META_SHEET
from pipelines.sources.decisions import COLUMNS as DECISION_COLUMNS
from pipelines.sources.decisions import Decision, read_decision
from pipelines.text.periods import period_key, report_kinds


class ReviewRejected(Exception):
    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class ReviewReading:
    period_key: str
    reviewer: str | None
    decisions: list[Decision]
    warnings: list[str] = field(default_factory=list)


def _is_period(key: str) -> bool:
    """A statutory period from FIRST_YEAR to this year ('2024-Q3')."""
    year, _, kind = key.partition("-")
    if not (year.isdigit() and kind in report_kinds()):
        return False
    return FIRST_YEAR <= int(year) <= date.today().year and period_key(int(year), kind) == key


def _header_row(sheet: Sheet, source: str) -> int:
    """The 0-based row whose cells are the form's headers, found where it is (rows may be inserted)."""
    row = filled.header_row(sheet, form.DECISION)
    if row is None:
        raise ReviewRejected(source, f"Trang '{form.SHEET}' không có dòng tiêu đề có cột '{form.DECISION}'.")
    return row


def _reviewer(sheet: Sheet, header: int) -> tuple[str | None, str]:
    """Who reviewed, typed after "Người xem xét:" above the table; and the cell the form leaves for it."""
    reviewer, cell = labelled(sheet, form.REVIEWER_LABEL, header, span=2)
    return reviewer, cell or form.REVIEWER_CELL


def _columns(sheet: Sheet, header: int, source: str) -> dict[str, int]:
    columns, missing = filled.columns(sheet, header, DECISION_COLUMNS)
    if missing:
        raise ReviewRejected(
            source,
            f"Trang '{form.SHEET}' dòng {header + 1} thiếu cột '{missing}'. Hãy dùng phiếu do hệ thống lập "
            "(cchc review-workbook) và không xóa cột.",
        )
    return columns


def read_review(path: Path) -> ReviewReading:
    """The decisions of a filled review workbook; ReviewRejected when the file is not one."""
    source = path.name
    try:
        workbook = read_workbook(path, lambda name: name in (form.SHEET, META_SHEET))
    except WorkbookRejected as rejection:
        raise ReviewRejected(source, rejection.reason) from rejection
    for name in (META_SHEET, form.SHEET):
        if reason := workbook.damaged(name):
            raise ReviewRejected(source, reason)
    sheets = {sheet.name: sheet for sheet in workbook.sheets}
    meta = filled.meta(sheets[META_SHEET]) if META_SHEET in sheets else {}
    if meta.get(form.META_KIND) != form.KIND or not meta.get(META_PERIOD):
        raise ReviewRejected(
            source,
            "Tệp không phải phiếu xem xét do hệ thống lập (thiếu trang ẩn '_cchc'). "
            "Hãy lập phiếu bằng lệnh cchc review-workbook rồi điền vào phiếu đó.",
        )
    period = meta[META_PERIOD]
    if not _is_period(period):
        raise ReviewRejected(
            source,
            f"Trang ẩn '{META_SHEET}' ghi kỳ '{period}', không phải kỳ báo cáo (ví dụ 2024-Q3) từ năm"
            f" {FIRST_YEAR} đến nay. Hãy lập lại phiếu bằng lệnh cchc review-workbook.",
        )
    if form.SHEET not in sheets:
        raise ReviewRejected(source, f"Tệp không có trang '{form.SHEET}'.")
    sheet = sheets[form.SHEET]
    header = _header_row(sheet, source)
    columns = _columns(sheet, header, source)
    reviewer, reviewer_cell = _reviewer(sheet, header)
    found, warnings = [], []
    for row, _ in sheet.rows(header + 1):
        if (decision := read_decision(sheet, row, columns)) is not None:
            found.append(decision)
        elif filled.text(sheet, row, columns[form.REASON]):
            cell = cell_address(row, columns[form.DECISION])
            undecided = "có lý do nhưng chưa chọn kết quả xem xét; dòng chưa quyết định gì"
            warnings.append(f"Trang '{form.SHEET}' ô {cell}: {undecided}.")
    if not reviewer:
        warnings.append(f"Trang '{form.SHEET}' ô {reviewer_cell}: chưa ghi người xem xét.")
    return ReviewReading(period, reviewer, found, warnings)
