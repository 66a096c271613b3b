"""The appraisal workbook of a province's scoring round (phiếu thẩm định Chỉ số CCHC), for Sở Nội vụ's
council: one row per agency and criterion with the maximum, the data's score, the agency's own, and what
is wrong with its proof; the council writes "Điểm thẩm định" (prefilled with the score proposed: the
data's where the data scores, the agency's where its proof stands, 0 where a score has no proof) and a
"Lý do" wherever it differs from what the agency claimed. The survey's points are typed on the survey
criterion's row. On the second sheet, a self-assessment that cannot be appraised is returned ("Trả lại",
with a reason, as a report is in the review workbook): it stops counting until the agency sends another.

Each row carries the agency and the self-assessment file and content it appraises in hidden columns, so
an appraisal binds to the self-assessment as it was: a corrected one sent later is appraised anew.
`pipelines.sources.appraisals` reads it back from raw/appraisals by the labels below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.cells import put
from pipelines.forms.inputs import points_rule, protect
from pipelines.forms.report.layout import META_GENERATED, META_SHEET, META_VERSION
from pipelines.forms.review import DECISION, REASON, REPORT_FILE, REPORT_HASH, RETURN, decision_rule
from pipelines.forms.rows import fit_rows
from pipelines.forms.styles import (
    BOLD,
    BORDER,
    HEADING_ALIGNMENT,
    HEADING_FILL,
    INPUT_FILL,
    TITLE,
    UNLOCKED,
    WRAP,
    print_on_a4,
    save,
    set_widths,
)

FORM_VERSION = "2026.1"
SHEET, FILES_SHEET = "Thẩm định", "Hồ sơ"
META_KIND, KIND = "kind", "appraisal"
META_PROVINCE, META_YEAR = "province_key", "assessed_year"
APPRAISER_LABEL, APPRAISER_CELL = "Người thẩm định:", "C3"
HEADER_ROW = 5  # 1-based, on both sheets

AGENCY, CODE, CRITERION, MAXIMUM = "Cơ quan", "Mã", "Tiêu chí", "Điểm tối đa"
DATA_SCORE, SELF_SCORE, PROOF = "Điểm từ dữ liệu", "Điểm tự chấm", "Tài liệu kiểm chứng"
APPRAISED, AGENCY_KEY = "Điểm thẩm định", "Mã cơ quan"
FILE_KEY, HASH_KEY = REPORT_FILE, REPORT_HASH  # the review workbook's keys: one reader for both
COLUMNS = (
    ("STT", 4),
    (AGENCY, 17),
    (CODE, 6),
    (CRITERION, 26),
    (MAXIMUM, 6),
    (DATA_SCORE, 7),
    (SELF_SCORE, 7),
    (PROOF, 32),
    (APPRAISED, 8),
    (REASON, 20),
    (AGENCY_KEY, 12),
    (FILE_KEY, 12),
    (HASH_KEY, 12),
)
RECEIVED, CLAIMED = "Ngày nhận", "Tổng tự chấm"
FILE_COLUMNS = (
    ("STT", 4),
    (AGENCY, 26),
    ("Tệp tự đánh giá", 26),
    (RECEIVED, 14),
    (CLAIMED, 9),
    (DECISION, 12),
    (REASON, 40),
    (AGENCY_KEY, 12),
    (FILE_KEY, 12),
    (HASH_KEY, 12),
)
HIDDEN = (AGENCY_KEY, FILE_KEY, HASH_KEY)


@dataclass(frozen=True)
class AppraisalRow:
    agency_key: str
    agency: str
    code: str
    criterion: str
    max_points: float
    data_score: float | None
    self_score: float | None
    proof: str | None
    proposed: float | None
    appraised: float | None  # already decided by an earlier appraisal of the same content
    reason: str | None
    self_assessment_file: str | None
    content_hash: str | None


@dataclass(frozen=True)
class FileRow:
    agency_key: str
    agency: str
    self_assessment_file: str
    content_hash: str
    received_at: datetime
    claimed: float | None
    decision: str | None  # ACCEPT or RETURN when already decided
    reason: str | None


def column_of(header: str, columns: Sequence[tuple[str, float]] = COLUMNS) -> int:
    return next(index for index, (name, _) in enumerate(columns, start=1) if name == header)


def _heading(sheet: Worksheet, columns: Sequence[tuple[str, float]]) -> None:
    for column, (name, _) in enumerate(columns, start=1):
        cell = put(sheet.cell(row=HEADER_ROW, column=column), name)
        cell.font, cell.fill, cell.alignment = BOLD, HEADING_FILL, HEADING_ALIGNMENT
    set_widths(sheet, [width for _, width in columns])
    for header in HIDDEN:
        sheet.column_dimensions[get_column_letter(column_of(header, columns))].hidden = True
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _open(cell) -> None:
    cell.protection, cell.fill, cell.border = UNLOCKED, INPUT_FILL, BORDER


def _scores(sheet: Worksheet, title: str, today: datetime, rows: Sequence[AppraisalRow]) -> None:
    sheet.title = SHEET
    put(sheet["A1"], title).font = TITLE
    put(
        sheet["A2"],
        f"Lập ngày {today:%d/%m/%Y %H:%M} từ kho dữ liệu đã công bố. '{APPRAISED}' đã điền sẵn điểm"
        " đề xuất (điểm từ dữ liệu; điểm tự chấm khi có tài liệu kiểm chứng; 0 khi chấm mà không có tài"
        f" liệu). Sửa khi điều chỉnh và ghi '{REASON}' (bắt buộc khi khác điểm cơ quan đề nghị); nhập điểm"
        " điều tra xã hội học ở dòng tiêu chí điều tra. Gửi tệp vào thư mục raw/appraisals.",
    ).alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=column_of(REASON))
    put(sheet["A3"], APPRAISER_LABEL).font = BOLD
    sheet.merge_cells("A3:B3")
    _open(sheet[APPRAISER_CELL])
    sheet.merge_cells(f"{APPRAISER_CELL}:E3")
    _heading(sheet, COLUMNS)
    rules: dict[float, DataValidation] = {}
    for number, row in enumerate(rows, start=1):
        at = HEADER_ROW + number
        decided = row.appraised if row.appraised is not None else row.proposed
        values = (
            number,
            row.agency,
            row.code,
            row.criterion,
            row.max_points,
            row.data_score,
            row.self_score,
            row.proof,
            decided,
            row.reason,
            row.agency_key,
            row.self_assessment_file,
            row.content_hash,
        )
        for column, value in enumerate(values, start=1):
            put(sheet.cell(row=at, column=column), value).alignment = WRAP
        for header in (MAXIMUM, DATA_SCORE, SELF_SCORE, APPRAISED):
            sheet.cell(row=at, column=column_of(header)).number_format = "General"
        score = sheet.cell(row=at, column=column_of(APPRAISED))
        _open(score)
        _open(sheet.cell(row=at, column=column_of(REASON)))
        rule = rules.get(row.max_points)
        if rule is None:
            rule = rules[row.max_points] = points_rule(row.max_points)
            sheet.add_data_validation(rule)
        rule.add(score.coordinate)
    if not rows:
        put(sheet.cell(row=HEADER_ROW + 1, column=1), "Chưa có cơ quan nào trong vòng đánh giá này.")
    fit_rows(sheet, first_row=2)
    print_on_a4(sheet)
    protect(sheet)


def _files(sheet: Worksheet, files: Sequence[FileRow]) -> None:
    put(
        sheet["A1"], "Hồ sơ tự đánh giá: chấp nhận để thẩm định, hoặc trả lại để cơ quan gửi lại"
    ).font = TITLE
    put(
        sheet["A2"],
        f"Chọn '{RETURN}' và ghi '{REASON}' khi hồ sơ không thẩm định được: hồ sơ không được tính đến khi"
        " cơ quan gửi bản mới, và phiếu phản hồi báo lý do cho cơ quan.",
    ).alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=column_of(REASON, FILE_COLUMNS))
    _heading(sheet, FILE_COLUMNS)
    choice = decision_rule(f"{RETURN}: cơ quan phải gửi lại hồ sơ; ghi lý do.")
    sheet.add_data_validation(choice)
    for number, row in enumerate(files, start=1):
        at = HEADER_ROW + number
        values = (
            number,
            row.agency,
            Path(row.self_assessment_file).name,
            row.received_at,
            row.claimed,
            row.decision,
            row.reason,
            row.agency_key,
            row.self_assessment_file,
            row.content_hash,
        )
        for column, value in enumerate(values, start=1):
            put(sheet.cell(row=at, column=column), value).alignment = WRAP
        sheet.cell(row=at, column=column_of(RECEIVED, FILE_COLUMNS)).number_format = "dd/mm/yyyy hh:mm"
        sheet.cell(row=at, column=column_of(CLAIMED, FILE_COLUMNS)).number_format = "General"
        for header in (DECISION, REASON):
            _open(sheet.cell(row=at, column=column_of(header, FILE_COLUMNS)))
        choice.add(sheet.cell(row=at, column=column_of(DECISION, FILE_COLUMNS)).coordinate)
    if not files:
        put(sheet.cell(row=HEADER_ROW + 1, column=1), "Chưa có hồ sơ tự đánh giá nào.")
    fit_rows(sheet, first_row=2)
    print_on_a4(sheet)
    protect(sheet)


def write_appraisal_workbook(
    path: Path,
    province_key: str,
    province_name: str,
    year: int,
    today: datetime,
    rows: Sequence[AppraisalRow],
    files: Sequence[FileRow],
) -> Path:
    workbook = openpyxl.Workbook()
    title = f"Thẩm định Chỉ số cải cách hành chính năm {year} – tỉnh {province_name}"
    _scores(workbook.active, title, today, rows)
    _files(workbook.create_sheet(FILES_SHEET), files)
    meta = workbook.create_sheet(META_SHEET)
    for line in (
        (META_KIND, KIND),
        (META_VERSION, FORM_VERSION),
        (META_PROVINCE, province_key),
        (META_YEAR, year),
        (META_GENERATED, today.isoformat()),
    ):
        meta.append(line)
    meta.sheet_state = "hidden"
    return save(workbook, path)
