"""The self-assessment workbook as the agency's clerk opens it: every criterion with its maximum and rule;
a criterion the data scores shows its score and basis and cannot be typed over; one the agency scores
takes a number from 0 to its maximum; the survey's is Sở Nội vụ's; the evidence sheet offers only the
criteria the agency scores; the hidden sheet says whose form it is."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from pipelines.forms.self_assessment import (
    EVIDENCE_SHEET,
    HEADER_ROW,
    LISTS_SHEET,
    SHEET,
    AssessmentForm,
    CriterionLine,
    column_of,
    write_self_assessment,
)

LINES = [
    CriterionLine("1", "Công tác chỉ đạo, điều hành CCHC", 4, "Tổng điểm", None, False, False, None, None),
    CriterionLine(
        "1.1",
        "Ban hành kế hoạch CCHC năm",
        1,
        "Kịp thời: 1; chậm: 0,5",
        "Kế hoạch",
        True,
        False,
        0.5,
        "Kế hoạch số 12/KH-SNV ban hành ngày 15/02/2024, hạn 31/01/2024 (chậm 15 ngày): 0,5/1",
    ),
    CriterionLine(
        "1.2",
        "Công tác tuyên truyền CCHC",
        2,
        "Đầy đủ: 2; chưa đầy đủ: 1",
        "Báo cáo",
        True,
        False,
        None,
        None,
    ),
    CriterionLine("1.3", "Sáng kiến CCHC", 1, "Có: 1; không: 0", None, True, False, None, None),
    CriterionLine(
        "2", "Tác động (điều tra xã hội học)", 20, "Sở Nội vụ tổng hợp", None, False, False, None, None
    ),
    CriterionLine("2.1", "Mức độ hài lòng", 20, "Điều tra", None, True, True, None, None),
]
FORM = AssessmentForm(
    "dong_nai.so_noi_vu",
    "Sở Nội vụ tỉnh Đồng Nai",
    2024,
    "dong_nai_so_2024",
    "Bộ tiêu chí thử",
    "Theo QĐ …",
    LINES,
)


def _cell(sheet, code: str, header: str):
    row = next(row for row in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(row, 1).value == code)
    return sheet.cell(row, column_of(header))


def test_data_scores_are_locked_open_criteria_take_bounded_points_and_the_survey_is_not_the_agencys(tmp_path):
    path = write_self_assessment(tmp_path / "f.xlsx", FORM, datetime(2025, 1, 10, 9))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SHEET]
    assert sheet.protection.sheet
    data = _cell(sheet, "1.1", "Điểm tự chấm")
    assert data.value == 0.5 and data.protection.locked
    assert _cell(sheet, "1.1", "Căn cứ").value.endswith("(chậm 15 ngày): 0,5/1")
    assert _cell(sheet, "1.2", "Điểm tự chấm").protection.locked is False
    assert _cell(sheet, "1.2", "Giải trình").protection.locked is False
    survey = _cell(sheet, "2.1", "Điểm tự chấm")
    assert survey.value is None and survey.protection.locked
    assert _cell(sheet, "1", "Điểm tự chấm").protection.locked  # a heading is not scored
    bounds = {
        (rule.formula1, rule.formula2): str(rule.sqref) for rule in sheet.data_validations.dataValidation
    }
    assert bounds == {
        ("0", "2"): _cell(sheet, "1.2", "Điểm tự chấm").coordinate,
        ("0", "1"): _cell(sheet, "1.3", "Điểm tự chấm").coordinate,
    }
    assert _cell(sheet, "1.2", "Cách chấm điểm").value == "Đầy đủ: 2; chưa đầy đủ: 1\nTài liệu: Báo cáo"
    total_row = _cell(sheet, "2.1", "Mã").row + 1
    assert sheet.cell(total_row, column_of("Điểm tối đa")).value == 24  # the fields' points, once
    # the total sums the scored rows only: the data's 0,5 and what the clerk types
    letter = _cell(sheet, "1.1", "Điểm tự chấm").column_letter
    rows = [_cell(sheet, code, "Mã").row for code in ("1.1", "1.2", "1.3", "2.1")]
    assert (
        sheet.cell(total_row, column_of("Điểm tự chấm")).value
        == "=SUM(" + ",".join(f"{letter}{row}" for row in rows) + ")"
    )


def test_the_evidence_sheet_offers_the_open_criteria_and_the_hidden_sheet_names_the_form(tmp_path):
    workbook = openpyxl.load_workbook(write_self_assessment(tmp_path / "f.xlsx", FORM, datetime(2025, 1, 10)))
    assert [row[0] for row in workbook[LISTS_SHEET].iter_rows(values_only=True)] == ["1.2", "1.3"]
    evidence = workbook[EVIDENCE_SHEET]
    assert [cell.value for cell in evidence[4]] == [
        "STT",
        "Mã tiêu chí",
        "Số hiệu văn bản",
        "Ngày ban hành",
        "Cơ quan ban hành",
        "Trích yếu",
        "Đường dẫn",
    ]
    rules = {rule.type: rule for rule in evidence.data_validations.dataValidation}
    assert rules["list"].formula1 == "'_danh_muc'!$A$1:$A$2"
    assert (rules["date"].formula1, rules["date"].formula2) == ("DATE(2023,1,1)", "DATE(2025,12,31)")
    assert evidence["B5"].protection.locked is False and evidence["B5"].number_format == "@"
    assert evidence.max_row == 4 + 40
    meta = dict(workbook["_cchc"].iter_rows(values_only=True))
    assert (meta["kind"], meta["agency_key"], meta["assessed_year"], meta["criteria_set_key"]) == (
        "self_assessment",
        "dong_nai.so_noi_vu",
        2024,
        "dong_nai_so_2024",
    )
