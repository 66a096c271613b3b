"""The self-assessment workbook of one agency and year (phiếu tự đánh giá, chấm điểm Chỉ số CCHC): every
criterion of its criteria set with the maximum and the scoring rule; the criteria the warehouse scores
from data it holds come prefilled and locked, with the basis in words; the others take the agency's
score and, on the second sheet, the documents that prove it (tài liệu kiểm chứng: one document a row, a
document that proves several criteria on one row per criterion) or an explanation.

`pipelines.sources.self_assessments` reads the filled file back from raw/self_assessments by the labels
below; the hidden sheet carries the agency, the year and the criteria set. The sheets are protected (no
password: it guards against slips) except the cells a clerk fills.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.cells import put
from pipelines.forms.inputs import date_rule, points_rule, protect
from pipelines.forms.report.layout import META_AGENCY, META_GENERATED, META_SHEET, META_VERSION
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
SHEET = "Tự đánh giá"
EVIDENCE_SHEET = "Tài liệu kiểm chứng"
LISTS_SHEET = "_danh_muc"  # the codes the evidence sheet's drop-down offers
META_KIND, KIND = "kind", "self_assessment"
META_YEAR, META_SET = "assessed_year", "criteria_set_key"

SUBMITTER, PHONE, EMAIL = "Người lập:", "Số điện thoại:", "Thư điện tử:"
CONTACTS = (SUBMITTER, PHONE, EMAIL)

CODE, CRITERION, MAXIMUM, RULE = "Mã", "Lĩnh vực, tiêu chí", "Điểm tối đa", "Cách chấm điểm"
DATA_SCORE, BASIS, SELF_SCORE, EXPLANATION = "Điểm từ dữ liệu", "Căn cứ", "Điểm tự chấm", "Giải trình"
COLUMNS = (
    (CODE, 7),
    (CRITERION, 31),
    (MAXIMUM, 7),
    (RULE, 32),
    (DATA_SCORE, 8),
    (BASIS, 24),
    (SELF_SCORE, 8),
    (EXPLANATION, 22),
)
HEADER_ROW = 9  # 1-based, as Excel shows it

NUMBER, EVIDENCE_CODE, DOCUMENT, ISSUED_ON, ISSUER, SUMMARY, LINK = (
    "STT",
    "Mã tiêu chí",
    "Số hiệu văn bản",
    "Ngày ban hành",
    "Cơ quan ban hành",
    "Trích yếu",
    "Đường dẫn",
)
EVIDENCE_COLUMNS = (
    (NUMBER, 5),
    (EVIDENCE_CODE, 9),
    (DOCUMENT, 16),
    (ISSUED_ON, 11),
    (ISSUER, 26),
    (SUMMARY, 40),
    (LINK, 30),
)
EVIDENCE_HEADER_ROW = 4
MIN_EVIDENCE_ROWS = 40

_DATA_FILL = PatternFill("solid", fgColor="F2F2F2")  # a score the warehouse set: shown, not typed
_FIELD_FILL = PatternFill("solid", fgColor="E2EFDA")


@dataclass(frozen=True)
class CriterionLine:
    code: str
    name: str
    max_points: float
    scoring_rule: str | None
    evidence: str | None
    is_scored: bool  # a leaf: scored itself (a heading's points are its children's)
    is_survey: bool  # scored by Sở Nội vụ from the survey, not by the agency
    data_score: float | None  # set from the warehouse's data: locked
    data_basis: str | None

    @property
    def depth(self) -> int:
        return self.code.count(".")

    @property
    def is_open(self) -> bool:
        """The agency scores it and proves it."""
        return self.is_scored and not self.is_survey and self.data_score is None


@dataclass(frozen=True)
class AssessmentForm:
    agency_key: str
    agency_name: str
    year: int
    criteria_set_key: str
    set_name: str
    citation: str
    lines: Sequence[CriterionLine]


def column_of(header: str, columns: Sequence[tuple[str, float]] = COLUMNS) -> int:
    """The 1-based column of a header."""
    return next(index for index, (name, _) in enumerate(columns, start=1) if name == header)


def _header(sheet: Worksheet, row: int, columns: Sequence[tuple[str, float]]) -> None:
    for column, (name, _) in enumerate(columns, start=1):
        cell = put(sheet.cell(row=row, column=column), name)
        cell.font, cell.fill, cell.alignment = BOLD, HEADING_FILL, HEADING_ALIGNMENT
    set_widths(sheet, [width for _, width in columns])


def _open(cell) -> None:
    cell.protection, cell.fill, cell.border = UNLOCKED, INPUT_FILL, BORDER


def _assessment(sheet: Worksheet, form: AssessmentForm, today: datetime) -> None:
    sheet.title = SHEET
    last = len(COLUMNS)
    put(sheet["A1"], f"Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {form.year}").font = TITLE
    put(sheet["A2"], f"Cơ quan: {form.agency_name}").font = BOLD
    put(sheet["A3"], f"Bộ tiêu chí: {form.set_name}. {form.citation}").alignment = WRAP
    put(
        sheet["A4"],
        f"Lập ngày {today:%d/%m/%Y} từ kho dữ liệu đã công bố. Điểm có căn cứ từ dữ liệu đã điền sẵn và khóa."
        f" Các tiêu chí khác: nhập '{SELF_SCORE}' (từ 0 đến điểm tối đa), ghi tài liệu kiểm chứng ở trang"
        f" '{EVIDENCE_SHEET}' hoặc '{EXPLANATION}' khi không có tài liệu; điểm không có tài liệu kiểm chứng"
        " hoặc giải trình không được công nhận. Tiêu chí điều tra xã hội học do Sở Nội vụ chấm. Điền xong,"
        " gửi lại tệp .xlsx này cho Sở Nội vụ.",
    ).alignment = WRAP
    for row in (3, 4):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    for row, label in enumerate(CONTACTS, start=5):
        put(sheet.cell(row=row, column=1), label).font = BOLD
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        _open(sheet.cell(row=row, column=3))
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
    _header(sheet, HEADER_ROW, COLUMNS)
    validations: dict[float, DataValidation] = {}
    at = HEADER_ROW
    for line in form.lines:
        at += 1
        values = {
            CODE: line.code,
            CRITERION: line.name,
            MAXIMUM: line.max_points,
            RULE: "\n".join(
                text for text in (line.scoring_rule, line.evidence and f"Tài liệu: {line.evidence}") if text
            ),
            DATA_SCORE: line.data_score,
            BASIS: line.data_basis,
        }
        for header, value in values.items():
            put(sheet.cell(row=at, column=column_of(header)), value).alignment = WRAP
        score = sheet.cell(row=at, column=column_of(SELF_SCORE))
        if not line.is_scored:
            for column in range(1, last + 1):
                sheet.cell(row=at, column=column).font = BOLD
                if line.depth == 0:
                    sheet.cell(row=at, column=column).fill = _FIELD_FILL
        elif line.is_survey:
            put(score, None)
            put(sheet.cell(row=at, column=column_of(EXPLANATION)), "Sở Nội vụ chấm từ kết quả điều tra")
        elif line.data_score is not None:
            score.value, score.fill = line.data_score, _DATA_FILL
        else:
            _open(score)
            rule = validations.get(line.max_points)
            if rule is None:
                rule = validations[line.max_points] = points_rule(line.max_points)
                sheet.add_data_validation(rule)
            rule.add(score.coordinate)
        if line.is_open:
            _open(sheet.cell(row=at, column=column_of(EXPLANATION)))
    total = at + 1
    put(sheet.cell(row=total, column=column_of(CRITERION)), "Tổng điểm").font = BOLD
    sheet.cell(row=total, column=column_of(MAXIMUM)).value = sum(
        line.max_points for line in form.lines if line.depth == 0
    )
    letter = get_column_letter(column_of(SELF_SCORE))
    scored = [f"{letter}{HEADER_ROW + 1 + index}" for index, line in enumerate(form.lines) if line.is_scored]
    if scored:
        sheet.cell(row=total, column=column_of(SELF_SCORE)).value = f"=SUM({','.join(scored)})"
    for column in range(1, last + 1):
        sheet.cell(row=total, column=column).font = BOLD
    for header in (MAXIMUM, DATA_SCORE, SELF_SCORE):
        for row in range(HEADER_ROW + 1, total + 1):
            sheet.cell(row=row, column=column_of(header)).number_format = "General"
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    fit_rows(sheet, first_row=3)
    print_on_a4(sheet)
    protect(sheet)


def _evidence(sheet: Worksheet, form: AssessmentForm, codes: Sequence[str]) -> None:
    put(sheet["A1"], f"Tài liệu kiểm chứng – {form.agency_name} – năm {form.year}").font = TITLE
    put(
        sheet["A2"],
        "Mỗi dòng một văn bản: chọn mã tiêu chí, ghi số hiệu (ví dụ 123/KH-UBND), ngày ban hành, cơ quan ban"
        " hành, trích yếu và đường dẫn tới văn bản. Một văn bản dùng cho nhiều tiêu chí: ghi mỗi tiêu chí một"
        " dòng.",
    ).alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(EVIDENCE_COLUMNS))
    _header(sheet, EVIDENCE_HEADER_ROW, EVIDENCE_COLUMNS)
    rows = max(MIN_EVIDENCE_ROWS, 2 * len(codes))
    first, last = EVIDENCE_HEADER_ROW + 1, EVIDENCE_HEADER_ROW + rows
    choice = DataValidation(
        type="list",
        formula1=f"'{LISTS_SHEET}'!$A$1:$A${max(len(codes), 1)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Mã tiêu chí không hợp lệ",
        error="Chọn mã tiêu chí trong danh sách (các tiêu chí cơ quan tự chấm).",
        showInputMessage=True,
        promptTitle=EVIDENCE_CODE,
        prompt="Tiêu chí mà văn bản này chứng minh.",
    )
    sheet.add_data_validation(choice)
    dates = date_rule(form.year - 1, form.year + 1)
    sheet.add_data_validation(dates)
    for row in range(first, last + 1):
        put(sheet.cell(row=row, column=1), row - first + 1)
        for column in range(2, len(EVIDENCE_COLUMNS) + 1):
            cell = sheet.cell(row=row, column=column)
            _open(cell)
            cell.alignment = WRAP
        code = sheet.cell(row=row, column=column_of(EVIDENCE_CODE, EVIDENCE_COLUMNS))
        code.number_format = "@"  # "1.10" typed stays 1.10, not the number 1.1
        choice.add(code.coordinate)
        day = sheet.cell(row=row, column=column_of(ISSUED_ON, EVIDENCE_COLUMNS))
        day.number_format = "dd/mm/yyyy"
        dates.add(day.coordinate)
    sheet.freeze_panes = f"C{first}"
    sheet.print_title_rows = f"{EVIDENCE_HEADER_ROW}:{EVIDENCE_HEADER_ROW}"
    fit_rows(sheet, first_row=2)
    print_on_a4(sheet)
    protect(sheet)


def write_self_assessment(path: Path, form: AssessmentForm, today: datetime) -> Path:
    workbook = openpyxl.Workbook()
    _assessment(workbook.active, form, today)
    codes = [line.code for line in form.lines if line.is_open]
    _evidence(workbook.create_sheet(EVIDENCE_SHEET), form, codes)
    lists = workbook.create_sheet(LISTS_SHEET)
    for code in codes:
        lists.append([code])
    lists.sheet_state = "hidden"
    meta = workbook.create_sheet(META_SHEET)
    for line in (
        (META_KIND, KIND),
        (META_VERSION, FORM_VERSION),
        (META_AGENCY, form.agency_key),
        (META_YEAR, form.year),
        (META_SET, form.criteria_set_key),
        (META_GENERATED, today.isoformat()),
    ):
        meta.append(line)
    meta.sheet_state = "hidden"
    return save(workbook, path)
