"""A self-assessment workbook filled by an agency (see `pipelines.forms.self_assessment`): who it is and
the year, the score it gives each criterion with its explanation, and the documents it names as proof.

A file that is not a self-assessment the platform wrote (no hidden block, an unknown agency, a year that
is not one, a sheet or a column deleted) is refused whole with a reason for the clerk. A row is judged
alone: a score that is not a number or lies outside 0 and the criterion's maximum, or a document row
without a criterion (or with one the form does not list), is rejected with its sheet and cell and counts
for nothing; the other rows still count. Whether a document proves what it is claimed for (its number,
date, issuer, link) is not the reader's call: the warehouse checks it and the council appraises it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pipelines.formats import filled
from pipelines.formats.workbooks import (
    Cell,
    Sheet,
    WorkbookRejected,
    cell_address,
    cell_text,
    labelled,
    read_workbook,
)
from pipelines.forms import self_assessment as form
from pipelines.forms.report.layout import FIRST_YEAR, META_AGENCY, META_SHEET
from pipelines.text.agencies import known_agencies, resolve_agency
from pipelines.text.dates import parse_date
from pipelines.text.numbers import parse_number

ROW_ACCEPTED, ROW_REJECTED = "accepted", "rejected"


class SelfAssessmentRejected(Exception):
    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class Score:
    row: int  # 1-based, as Excel shows it
    criterion_code: str
    score_text: str
    score_cell: str
    self_score: float | None
    explanation: str | None
    explanation_cell: str
    row_status: str
    issue: str | None = None


@dataclass(frozen=True)
class Evidence:
    row: int
    criterion_code: str
    code_cell: str
    document_number: str | None
    number_cell: str
    issued_on: date | None
    issued_on_text: str | None
    date_cell: str
    issuer: str | None
    issuer_cell: str
    issuer_agency_key: str | None
    issuer_status: str | None
    summary: str | None
    link: str | None
    link_cell: str
    row_status: str
    issue: str | None = None


@dataclass(frozen=True)
class SelfAssessmentReading:
    agency_key: str
    assessed_year: int
    criteria_set_key: str
    submitter: str | None
    phone: str | None
    email: str | None
    scores: list[Score]
    evidence: list[Evidence]
    warnings: list[str] = field(default_factory=list)


def _refuse(source: str, reason: str) -> SelfAssessmentRejected:
    return SelfAssessmentRejected(source, reason)


def _header(sheet: Sheet, wanted: str, source: str) -> int:
    row = filled.header_row(sheet, wanted)
    if row is None:
        raise _refuse(source, f"Trang '{sheet.name}' không có dòng tiêu đề có cột '{wanted}'.")
    return row


def _columns(sheet: Sheet, header: int, names: tuple[str, ...], source: str) -> dict[str, int]:
    found, missing = filled.columns(sheet, header, names)
    if missing:
        raise _refuse(
            source,
            f"Trang '{sheet.name}' dòng {header + 1} thiếu cột '{missing}'. Hãy dùng phiếu do Sở Nội vụ cấp"
            " và không xóa cột.",
        )
    return found


def _identity(meta: dict[str, str], source: str) -> tuple[str, int, str]:
    if meta.get(form.META_KIND) != form.KIND:
        raise _refuse(
            source,
            "Tệp không phải phiếu tự đánh giá do hệ thống lập (thiếu trang ẩn '_cchc'). Hãy dùng phiếu"
            " tự đánh giá do Sở Nội vụ cấp rồi điền vào phiếu đó.",
        )
    agency, year, criteria_set = (
        meta.get(META_AGENCY, ""),
        meta.get(form.META_YEAR, ""),
        meta.get(form.META_SET),
    )
    if agency not in known_agencies():
        raise _refuse(
            source, f"Trang ẩn '{META_SHEET}' ghi mã cơ quan '{agency}', không có trong danh mục cơ quan."
        )
    number = parse_number(year)
    if number is None or not number.is_integer() or not FIRST_YEAR <= number <= date.today().year:
        raise _refuse(
            source,
            f"Trang ẩn '{META_SHEET}' ghi năm đánh giá '{year}', không phải một năm từ {FIRST_YEAR} đến nay."
            " Hãy liên hệ Sở Nội vụ để được cấp lại phiếu.",
        )
    if not criteria_set:
        raise _refuse(source, f"Trang ẩn '{META_SHEET}' không ghi bộ tiêu chí. Hãy liên hệ Sở Nội vụ.")
    return agency, int(number), criteria_set


def _score(sheet: Sheet, row: int, columns: dict[str, int], code: str) -> Score | None:
    typed = filled.text(sheet, row, columns[form.SELF_SCORE])
    explanation = filled.text(sheet, row, columns[form.EXPLANATION]) or None
    if not typed and not explanation:
        return None
    cell = cell_address(row, columns[form.SELF_SCORE])
    raw: Cell = sheet.cell(row, columns[form.SELF_SCORE])
    score = raw if isinstance(raw, float) else parse_number(typed) if typed else None
    maximum = sheet.cell(row, columns[form.MAXIMUM])
    where = f"Trang '{sheet.name}' ô {cell}"
    issue = None
    if typed and score is None:
        issue = f"{where}: '{typed}' không phải số điểm; nhập một số, ví dụ 0,5."
    elif score is not None and (score < 0 or (isinstance(maximum, float) and score > maximum)):
        limit = cell_text(maximum).replace(".", ",")
        issue = (
            f"{where}: điểm {typed.replace('.', ',')} ngoài khoảng từ 0 đến điểm tối đa {limit} của tiêu chí"
            f" {code}."
        )
    return Score(
        row=row + 1,
        criterion_code=code,
        score_text=typed,
        score_cell=cell,
        self_score=None if issue else score,
        explanation=explanation,
        explanation_cell=cell_address(row, columns[form.EXPLANATION]),
        row_status=ROW_REJECTED if issue else ROW_ACCEPTED,
        issue=issue,
    )


def _scores(sheet: Sheet, source: str) -> list[Score]:
    header = _header(sheet, form.SELF_SCORE, source)
    names = (form.CODE, form.MAXIMUM, form.SELF_SCORE, form.EXPLANATION)
    columns = _columns(sheet, header, names, source)
    scores, seen = [], {}
    for row, _ in sheet.rows(header + 1):
        code = filled.text(sheet, row, columns[form.CODE])
        if not code or (score := _score(sheet, row, columns, code)) is None:
            continue
        if code in seen:  # a row copied: the criterion is scored once, on its own row
            issue = (
                f"Trang '{sheet.name}' ô {score.score_cell}: tiêu chí {code} đã có ở dòng {seen[code]}; mỗi"
                " tiêu chí chấm một lần."
            )
            score = replace(score, self_score=None, row_status=ROW_REJECTED, issue=issue)
        else:
            seen[code] = row + 1
        scores.append(score)
    return scores


def _codes(sheets: dict[str, Sheet], source: str) -> set[str]:
    """The criteria a document may be claimed for: those the agency scores itself, as the form's
    drop-down lists them (every code of the main sheet for a form without the list)."""
    if form.LISTS_SHEET in sheets:
        listed = sheets[form.LISTS_SHEET]
        return {code for row, _ in listed.rows() if (code := filled.text(listed, row, 0))}
    main = sheets[form.SHEET]
    column = _columns(main, _header(main, form.SELF_SCORE, source), (form.CODE,), source)[form.CODE]
    return {code for row, _ in main.rows() if (code := filled.text(main, row, column))}


def _evidence_row(
    sheet: Sheet, row: int, columns: dict[str, int], codes: set[str], agency: str, year: int
) -> Evidence | None:
    def typed(name: str) -> str:
        return filled.text(sheet, row, columns[name])

    def at(name: str) -> str:
        return cell_address(row, columns[name])

    fields = (form.EVIDENCE_CODE, form.DOCUMENT, form.ISSUED_ON, form.ISSUER, form.SUMMARY, form.LINK)
    if not any(typed(name) for name in fields):
        return None
    code = typed(form.EVIDENCE_CODE)
    date_text = typed(form.ISSUED_ON)
    issued_on = parse_date(date_text) if date_text else None
    issuer = typed(form.ISSUER) or None
    resolution = resolve_agency(issuer, on=issued_on or date(year, 12, 31), issuer=agency) if issuer else None
    issue = None
    if not code:
        issue = (
            f"Trang '{sheet.name}' ô {at(form.EVIDENCE_CODE)}: không ghi mã tiêu chí mà văn bản chứng minh."
        )
    elif code not in codes:
        issue = (
            f"Trang '{sheet.name}' ô {at(form.EVIDENCE_CODE)}: mã tiêu chí '{code}' không phải tiêu chí"
            " cơ quan tự chấm; chọn mã trong danh sách."
        )
    return Evidence(
        row=row + 1,
        criterion_code=code,
        code_cell=at(form.EVIDENCE_CODE),
        document_number=typed(form.DOCUMENT) or None,
        number_cell=at(form.DOCUMENT),
        issued_on=issued_on,
        issued_on_text=date_text or None,
        date_cell=at(form.ISSUED_ON),
        issuer=issuer,
        issuer_cell=at(form.ISSUER),
        issuer_agency_key=resolution.agency_key if resolution else None,
        issuer_status=str(resolution.status) if resolution else None,
        summary=typed(form.SUMMARY) or None,
        link=typed(form.LINK) or None,
        link_cell=at(form.LINK),
        row_status=ROW_REJECTED if issue else ROW_ACCEPTED,
        issue=issue,
    )


def _evidence(sheet: Sheet, source: str, codes: set[str], agency: str, year: int) -> list[Evidence]:
    header = _header(sheet, form.DOCUMENT, source)
    names = tuple(name for name, _ in form.EVIDENCE_COLUMNS if name != form.NUMBER)
    columns = _columns(sheet, header, names, source)
    rows = (_evidence_row(sheet, row, columns, codes, agency, year) for row, _ in sheet.rows(header + 1))
    return [row for row in rows if row is not None]


def read_self_assessment(path: Path) -> SelfAssessmentReading:
    """The scores and evidence of a filled self-assessment; SelfAssessmentRejected when it is not one."""
    source = path.name
    wanted = (form.SHEET, form.EVIDENCE_SHEET, form.LISTS_SHEET, META_SHEET)
    try:
        workbook = read_workbook(path, lambda name: name in wanted)
    except WorkbookRejected as rejection:
        raise _refuse(source, rejection.reason) from rejection
    for name in (form.SHEET, form.EVIDENCE_SHEET, META_SHEET):  # the hidden lists may be absent (_codes)
        if reason := workbook.damaged(name):
            raise _refuse(source, reason)
    sheets = {sheet.name: sheet for sheet in workbook.sheets}
    agency, year, criteria_set = _identity(
        filled.meta(sheets[META_SHEET]) if META_SHEET in sheets else {}, source
    )
    for name in (form.SHEET, form.EVIDENCE_SHEET):
        if name not in sheets:
            raise _refuse(
                source, f"Tệp không có trang '{name}'. Hãy dùng phiếu do Sở Nội vụ cấp và không xóa trang."
            )
    main = sheets[form.SHEET]
    scores = _scores(main, source)
    evidence = _evidence(sheets[form.EVIDENCE_SHEET], source, _codes(sheets, source), agency, year)
    header = _header(main, form.SELF_SCORE, source)
    contacts = {label: labelled(main, label, header, span=2) for label in form.CONTACTS}
    warnings = [
        f"Trang '{form.SHEET}' ô {cell or 'C5'}: chưa ghi '{label.rstrip(':')}'."
        for label, (value, cell) in contacts.items()
        if not value and label != form.PHONE
    ]
    return SelfAssessmentReading(
        agency_key=agency,
        assessed_year=year,
        criteria_set_key=criteria_set,
        submitter=contacts[form.SUBMITTER][0],
        phone=contacts[form.PHONE][0],
        email=contacts[form.EMAIL][0],
        scores=scores,
        evidence=evidence,
        warnings=warnings,
    )
