"""An appraisal workbook filled by Sở Nội vụ's council (see `pipelines.forms.appraisal`): the province
and year, who appraised, the score appraised per agency and criterion with its reason, and the
self-assessments returned or accepted on the second sheet.

A file that is not an appraisal workbook the platform wrote is refused whole with a reason. A row is
judged alone: a score that is not a number or lies outside 0 and the criterion's maximum, a score that
differs from what the agency claimed without a reason, or a row whose hidden keys were cleared is
rejected with its sheet and cell and decides nothing. A row left blank is not appraised yet. The second
sheet's rows are read as the review workbook's are (`pipelines.sources.decisions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipelines.formats import filled
from pipelines.formats.workbooks import Cell, Sheet, WorkbookRejected, cell_address, labelled, read_workbook
from pipelines.forms import appraisal as form
from pipelines.forms.report.layout import FIRST_YEAR, META_SHEET
from pipelines.sources.decisions import COLUMNS as DECISION_COLUMNS
from pipelines.sources.decisions import Decision, read_decision
from pipelines.text.numbers import parse_number
from pipelines.text.provinces import known_provinces

ROW_ACCEPTED, ROW_REJECTED = "accepted", "rejected"
SCORE_COLUMNS = (
    form.CODE,
    form.MAXIMUM,
    form.DATA_SCORE,
    form.SELF_SCORE,
    form.APPRAISED,
    form.REASON,
    form.AGENCY_KEY,
    form.FILE_KEY,
    form.HASH_KEY,
)


class AppraisalRejected(Exception):
    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class AppraisedScore:
    row: int  # 1-based, as Excel shows it
    agency_key: str
    criterion_code: str
    self_assessment_file: str | None
    content_hash: str | None
    score_text: str
    score_cell: str
    appraised_score: float | None
    reason: str | None
    row_status: str
    issue: str | None = None


@dataclass(frozen=True)
class AppraisalReading:
    province_key: str
    assessed_year: int
    appraiser: str | None
    scores: list[AppraisedScore]
    decisions: list[Decision]
    warnings: list[str] = field(default_factory=list)


def _number(value: Cell) -> float | None:
    return value if isinstance(value, float) else parse_number(value) if value.strip() else None


def _identity(block: dict[str, str], source: str) -> tuple[str, int]:
    if block.get(form.META_KIND) != form.KIND:
        raise AppraisalRejected(
            source,
            "Tệp không phải phiếu thẩm định do hệ thống lập (thiếu trang ẩn '_cchc'). Hãy lập phiếu bằng lệnh"
            " cchc appraisal-workbook rồi điền vào phiếu đó.",
        )
    province, year = block.get(form.META_PROVINCE, ""), parse_number(block.get(form.META_YEAR, ""))
    if province not in known_provinces():
        raise AppraisalRejected(
            source, f"Trang ẩn '{META_SHEET}' ghi tỉnh '{province}', không có trong danh mục."
        )
    if year is None or not year.is_integer() or not FIRST_YEAR <= year <= date.today().year:
        raise AppraisalRejected(
            source,
            f"Trang ẩn '{META_SHEET}' ghi năm '{block.get(form.META_YEAR)}', không phải một năm đánh giá.",
        )
    return province, int(year)


def _table(sheet: Sheet, label: str, names: tuple[str, ...], source: str) -> tuple[int, dict[str, int]]:
    header = filled.header_row(sheet, label)
    if header is None:
        raise AppraisalRejected(source, f"Trang '{sheet.name}' không có dòng tiêu đề có cột '{label}'.")
    columns, missing = filled.columns(sheet, header, names)
    if missing:
        raise AppraisalRejected(
            source,
            f"Trang '{sheet.name}' dòng {header + 1} thiếu cột '{missing}'. Hãy dùng phiếu do hệ thống lập"
            " (cchc appraisal-workbook) và không xóa cột.",
        )
    return header, columns


def _score(sheet: Sheet, row: int, columns: dict[str, int]) -> AppraisedScore | None:
    def text(name: str) -> str:
        return filled.text(sheet, row, columns[name])

    typed, reason = text(form.APPRAISED), text(form.REASON) or None
    if not typed:
        return None
    cell = cell_address(row, columns[form.APPRAISED])
    where = f"Trang '{sheet.name}' ô"
    score = _number(sheet.cell(row, columns[form.APPRAISED]))
    maximum = _number(sheet.cell(row, columns[form.MAXIMUM]))
    data = _number(sheet.cell(row, columns[form.DATA_SCORE]))
    claimed = data if data is not None else _number(sheet.cell(row, columns[form.SELF_SCORE]))
    agency, code = text(form.AGENCY_KEY), text(form.CODE)
    issue = None
    if not agency or not code:
        key = cell_address(row, columns[form.AGENCY_KEY if not agency else form.CODE])
        issue = f"{where} {key} (mã cơ quan, mã tiêu chí) trống: không biết dòng {row + 1} thẩm định gì."
    elif score is None:
        issue = f"{where} {cell}: '{typed}' không phải số điểm; nhập một số, ví dụ 0,5."
    elif score < 0 or (maximum is not None and score > maximum):
        limit = f"{maximum:g}".replace(".", ",") if maximum is not None else "?"
        issue = f"{where} {cell}: điểm {typed.replace('.', ',')} ngoài khoảng từ 0 đến điểm tối đa {limit}."
    elif claimed is not None and abs(score - claimed) > 1e-9 and not reason:
        reason_cell = cell_address(row, columns[form.REASON])
        said = f"{claimed:g}".replace(".", ",")
        issue = (
            f"{where} {reason_cell}: điểm thẩm định khác điểm cơ quan đề nghị ({said}) mà không ghi lý do;"
            " cơ quan cần biết vì sao bị điều chỉnh."
        )
    return AppraisedScore(
        row=row + 1,
        agency_key=agency,
        criterion_code=code,
        self_assessment_file=text(form.FILE_KEY) or None,
        content_hash=text(form.HASH_KEY) or None,
        score_text=typed,
        score_cell=cell,
        appraised_score=None if issue else score,
        reason=reason,
        row_status=ROW_REJECTED if issue else ROW_ACCEPTED,
        issue=issue,
    )


def read_appraisal(path: Path) -> AppraisalReading:
    """The appraised scores and decisions of a filled appraisal workbook; AppraisalRejected when the file is
    not one."""
    source = path.name
    wanted = (form.SHEET, form.FILES_SHEET, META_SHEET)
    try:
        workbook = read_workbook(path, lambda name: name in wanted)
    except WorkbookRejected as rejection:
        raise AppraisalRejected(source, rejection.reason) from rejection
    for name in wanted:
        if reason := workbook.damaged(name):
            raise AppraisalRejected(source, reason)
    sheets = {sheet.name: sheet for sheet in workbook.sheets}
    province, year = _identity(filled.meta(sheets[META_SHEET]) if META_SHEET in sheets else {}, source)
    for name in (form.SHEET, form.FILES_SHEET):
        if name not in sheets:
            raise AppraisalRejected(source, f"Tệp không có trang '{name}'. Hãy dùng phiếu do hệ thống lập.")
    main = sheets[form.SHEET]
    header, columns = _table(main, form.APPRAISED, SCORE_COLUMNS, source)
    scores = [score for row, _ in main.rows(header + 1) if (score := _score(main, row, columns)) is not None]
    files = sheets[form.FILES_SHEET]
    files_header, files_columns = _table(files, form.DECISION, DECISION_COLUMNS, source)
    decisions = [
        decision
        for row, _ in files.rows(files_header + 1)
        if (decision := read_decision(files, row, files_columns, "cơ quan")) is not None
    ]
    appraiser, cell = labelled(main, form.APPRAISER_LABEL, header, span=2)
    warnings = (
        []
        if appraiser
        else [f"Trang '{form.SHEET}' ô {cell or form.APPRAISER_CELL}: chưa ghi người thẩm định."]
    )
    return AppraisalReading(province, year, appraiser, scores, decisions, warnings)
