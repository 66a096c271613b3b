"""The review workbook of a reporting period (phiếu xem xét báo cáo): every report file Sở Nội vụ may
accept or return, with its status, what the reader found and the figures that jump; the officer fills
"Kết quả xem xét" (Chấp nhận / Trả lại, from a drop-down) and "Lý do", and drops the file into
raw/reviews, where `pipelines.sources.reviews` reads it back by the names below.

Each row carries the report file and its content hash in two hidden columns, so a decision binds to the
file as it was reviewed: a corrected file sent later is a new submission, undecided. The sheet is
protected (no password: it guards against slips) except the reviewer's name and the two input columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipelines.forms.cells import put
from pipelines.forms.inputs import protect
from pipelines.forms.report.layout import META_GENERATED, META_PERIOD, META_SHEET
from pipelines.forms.rows import fit_rows
from pipelines.forms.styles import (
    BOLD,
    BORDER,
    HEADING_FILL,
    INPUT_FILL,
    TITLE,
    UNLOCKED,
    WRAP,
    print_on_a4,
    save,
    set_widths,
)

SHEET = "Xem xét"
META_KIND, KIND = "kind", "review"  # beside the report template's hidden block: its sheet and keys
REVIEWER_LABEL, REVIEWER_CELL = "Người xem xét:", "C3"
HEADER_ROW = 5  # 1-based, as Excel shows it
ACCEPT, RETURN = "Chấp nhận", "Trả lại"
DECISIONS = {ACCEPT: "accepted", RETURN: "returned"}  # what each word decides, as the readers record it
DECISION, REASON, REPORT_FILE, REPORT_HASH = "Kết quả xem xét", "Lý do", "Mã tệp", "Mã nội dung"

# one A4 landscape page wide at no less than 8 pt; the two keys are hidden (not printed)
COLUMNS = (
    ("STT", 4),
    ("Cơ quan", 20),
    ("Tệp báo cáo", 15),
    ("Ngày nhận", 15),
    ("Tình trạng", 13),
    ("Điểm cần xem", 28),
    ("Số liệu biến động", 17),
    (DECISION, 10),
    (REASON, 18),
    (REPORT_FILE, 20),
    (REPORT_HASH, 20),
)


@dataclass(frozen=True)
class ReviewRow:
    agency: str
    report_file: str
    report_hash: str
    received_at: datetime
    status: str
    findings: str | None
    jumps: str | None
    decision: str | None  # ACCEPT or RETURN when already decided
    reason: str | None


def decision_rule(prompt: str) -> DataValidation:
    """The drop-down of "Kết quả xem xét": Chấp nhận or Trả lại, and what each means here."""
    return DataValidation(
        type="list",
        formula1=f'"{ACCEPT},{RETURN}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Kết quả không hợp lệ",
        error=f"Chọn '{ACCEPT}' hoặc '{RETURN}' trong danh sách.",
        showInputMessage=True,
        promptTitle=DECISION,
        prompt=prompt,
    )


def column_of(header: str) -> int:
    """The 1-based column of a header."""
    return next(index for index, (name, _) in enumerate(COLUMNS, start=1) if name == header)


def write_review_workbook(
    path: Path, period_key: str, period_label: str, today: datetime, rows: Sequence[ReviewRow]
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    put(sheet["A1"], f"Xem xét báo cáo cải cách hành chính – {period_label}").font = TITLE
    put(
        sheet["A2"],
        f"Lập ngày {today:%d/%m/%Y %H:%M} từ kho dữ liệu đã công bố. Chọn '{ACCEPT}' hoặc '{RETURN}' ở cột "
        f"'{DECISION}', ghi '{REASON}' (bắt buộc khi trả lại), rồi gửi tệp vào thư mục raw/reviews.",
    ).alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=column_of(REASON))
    put(sheet["A3"], REVIEWER_LABEL).font = BOLD
    sheet.merge_cells("A3:B3")
    reviewer = sheet[REVIEWER_CELL]
    reviewer.protection, reviewer.fill, reviewer.border = UNLOCKED, INPUT_FILL, BORDER
    sheet.merge_cells(f"{REVIEWER_CELL}:E3")
    for column, (header, _) in enumerate(COLUMNS, start=1):
        cell = put(sheet.cell(row=HEADER_ROW, column=column), header)
        cell.font, cell.fill = BOLD, HEADING_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    set_widths(sheet, [width for _, width in COLUMNS])
    choice = decision_rule(
        f"{ACCEPT}: xác nhận báo cáo (tệp gửi sau khóa sổ thì được tính). "
        f"{RETURN}: đơn vị phải gửi lại; ghi lý do."
    )
    sheet.add_data_validation(choice)
    if not rows:
        put(sheet.cell(row=HEADER_ROW + 1, column=1), "Chưa có báo cáo nào của kỳ này.")
    for number, row in enumerate(rows, start=1):
        at = HEADER_ROW + number
        values = (
            number,
            row.agency,
            Path(row.report_file).name,
            row.received_at,
            row.status,
            row.findings,
            row.jumps,
            row.decision,
            row.reason,
            row.report_file,
            row.report_hash,
        )
        for column, value in enumerate(values, start=1):
            put(sheet.cell(row=at, column=column), value).alignment = WRAP
        sheet.cell(row=at, column=column_of("Ngày nhận")).number_format = "dd/mm/yyyy hh:mm"
        for header in (DECISION, REASON):
            cell = sheet.cell(row=at, column=column_of(header))
            cell.protection, cell.fill, cell.border = UNLOCKED, INPUT_FILL, BORDER
        choice.add(sheet.cell(row=at, column=column_of(DECISION)).coordinate)
    for header in (REPORT_FILE, REPORT_HASH):
        sheet.column_dimensions[get_column_letter(column_of(header))].hidden = True
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    fit_rows(sheet, first_row=2)
    print_on_a4(sheet)
    protect(sheet)
    meta = workbook.create_sheet(META_SHEET)
    for line in ((META_KIND, KIND), (META_PERIOD, period_key), (META_GENERATED, today.isoformat())):
        meta.append(line)
    meta.sheet_state = "hidden"
    return save(workbook, path)
