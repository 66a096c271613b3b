"""A self-assessment as an agency sends it back: scores, explanations and documents read whatever the clerk
did to the layout (rows inserted above the tables, a date typed as text or as a date), issuers resolved in
the registry, each bad row rejected alone with its sheet and cell, and a file that is no self-assessment
refused whole."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from pipelines.forms.self_assessment import EVIDENCE_SHEET, LISTS_SHEET, SHEET, write_self_assessment
from pipelines.sources.self_assessments.read import SelfAssessmentRejected, read_self_assessment
from tests.unit.formats.test_workbooks import damage_sheet
from tests.unit.forms.test_self_assessment import FORM

# (code, number, issued, issuer, summary, link) typed on the evidence sheet from row 5
DOCUMENTS = [
    (
        "1.2",
        "15/KH-SNV",
        datetime(2024, 1, 20),
        "Sở Nội vụ",
        "Kế hoạch tuyên truyền CCHC năm 2024",
        "https://snv.dongnai.gov.vn/kh-15.pdf",
    ),
    (
        "1.3",
        "Số 20/QĐ-UBND",
        "20/12/2024",
        "UBND tỉnh Đồng Nai",
        "Công nhận sáng kiến",
        "snv.dongnai.gov.vn/x",
    ),
    (None, "7/BC-SNV", None, "Sở Nội vụ", "Báo cáo", None),
    ("9.9", "8/BC-SNV", None, None, None, None),
]


def filled(
    directory: Path,
    scores: dict[str, tuple[object, str | None]],
    documents=DOCUMENTS,
    *,
    insert_rows: int = 0,
    contacts=("Lê Văn Tâm", "0251 3822 000", "letam@dongnai.gov.vn"),
) -> Path:
    """The form of tests.unit.forms.test_self_assessment, filled: score and explanation per code, the
    documents from row 5 of the evidence sheet, the contacts; rows inserted above both tables."""
    path = write_self_assessment(directory / "mau.xlsx", FORM, datetime(2025, 1, 10))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SHEET]
    for row, value in zip((5, 6, 7), contacts, strict=True):
        sheet.cell(row, 3, value)
    for row in range(10, sheet.max_row + 1):
        if (code := sheet.cell(row, 1).value) in scores:
            score, explanation = scores[code]
            sheet.cell(row, 7, score)
            sheet.cell(row, 8, explanation)
    evidence = workbook[EVIDENCE_SHEET]
    for row, values in enumerate(documents, start=5):
        for column, value in enumerate(values, start=2):
            evidence.cell(row, column, value)
    if insert_rows:
        sheet.insert_rows(1, insert_rows)
        evidence.insert_rows(1, insert_rows)
    workbook.save(directory / "da-dien.xlsx")
    return directory / "da-dien.xlsx"


@pytest.mark.parametrize("inserted", [0, 3])
def test_scores_documents_and_contacts_are_read_with_their_cells(tmp_path, inserted):
    reading = read_self_assessment(
        filled(tmp_path, {"1.2": ("1,5", None), "1.3": (1, "Có sáng kiến")}, insert_rows=inserted)
    )
    assert (reading.agency_key, reading.assessed_year, reading.criteria_set_key) == (
        "dong_nai.so_noi_vu",
        2024,
        "dong_nai_so_2024",
    )
    assert (reading.submitter, reading.phone, reading.email, reading.warnings) == (
        "Lê Văn Tâm",
        "0251 3822 000",
        "letam@dongnai.gov.vn",
        [],
    )
    shift = inserted
    by_code = {score.criterion_code: score for score in reading.scores}
    assert set(by_code) == {"1.1", "1.2", "1.3", "2.1"}  # 1.1 carries the data's 0,5; 2.1 the survey's note
    assert (by_code["1.2"].self_score, by_code["1.2"].score_cell, by_code["1.2"].row_status) == (
        1.5,
        f"G{12 + shift}",
        "accepted",
    )
    assert (by_code["1.3"].self_score, by_code["1.3"].explanation) == (1.0, "Có sáng kiến")
    assert by_code["1.1"].self_score == 0.5
    assert by_code["2.1"].self_score is None
    first, second, blank_code, unknown_code = reading.evidence
    assert (
        first.document_number,
        first.issued_on,
        first.issuer_agency_key,
        first.link,
        first.row_status,
    ) == (
        "15/KH-SNV",
        date(2024, 1, 20),
        "dong_nai.so_noi_vu",
        "https://snv.dongnai.gov.vn/kh-15.pdf",
        "accepted",
    )
    assert (second.issued_on, second.issued_on_text, second.issuer_agency_key, second.date_cell) == (
        date(2024, 12, 20),
        "20/12/2024",
        "dong_nai.ubnd",
        f"D{6 + shift}",
    )
    assert blank_code.row_status == "rejected"
    assert blank_code.issue == (
        f"Trang 'Tài liệu kiểm chứng' ô B{7 + shift}: không ghi mã tiêu chí mà văn bản chứng minh."
    )
    assert unknown_code.issue == (
        f"Trang 'Tài liệu kiểm chứng' ô B{8 + shift}: mã tiêu chí '9.9' không phải tiêu chí"
        " cơ quan tự chấm; chọn mã trong danh sách."
    )


@pytest.mark.parametrize(
    ("typed", "issue"),
    [
        ("hai", "Trang 'Tự đánh giá' ô G12: 'hai' không phải số điểm; nhập một số, ví dụ 0,5."),
        (3, "Trang 'Tự đánh giá' ô G12: điểm 3 ngoài khoảng từ 0 đến điểm tối đa 2 của tiêu chí 1.2."),
        (
            "-0,5",
            "Trang 'Tự đánh giá' ô G12: điểm -0,5 ngoài khoảng từ 0 đến điểm tối đa 2 của tiêu chí 1.2.",
        ),
    ],
)
def test_a_score_that_is_no_score_is_rejected_alone(tmp_path, typed, issue):
    reading = read_self_assessment(filled(tmp_path, {"1.2": (typed, None), "1.3": (1, None)}, []))
    by_code = {score.criterion_code: score for score in reading.scores}
    assert (by_code["1.2"].row_status, by_code["1.2"].self_score, by_code["1.2"].issue) == (
        "rejected",
        None,
        issue,
    )
    assert (by_code["1.3"].row_status, by_code["1.3"].self_score) == ("accepted", 1.0)


def test_missing_contacts_are_warned_not_refused(tmp_path):
    reading = read_self_assessment(filled(tmp_path, {}, [], contacts=(None, None, None)))
    assert reading.warnings == [
        "Trang 'Tự đánh giá' ô C5: chưa ghi 'Người lập'.",
        "Trang 'Tự đánh giá' ô C7: chưa ghi 'Thư điện tử'.",
    ]


def _edited(path: Path, edit) -> Path:
    workbook = openpyxl.load_workbook(path)
    edit(workbook)
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (
            lambda wb: wb.remove(wb["_cchc"]),
            "Tệp không phải phiếu tự đánh giá do hệ thống lập (thiếu trang ẩn '_cchc'). Hãy dùng phiếu"
            " tự đánh giá do Sở Nội vụ cấp rồi điền vào phiếu đó.",
        ),
        (
            lambda wb: wb["_cchc"].cell(3, 2, "dong_nai.so_khong_co"),
            "Trang ẩn '_cchc' ghi mã cơ quan 'dong_nai.so_khong_co', không có trong danh mục cơ quan.",
        ),
        (
            lambda wb: wb["_cchc"].cell(4, 2, "2099"),
            "Trang ẩn '_cchc' ghi năm đánh giá '2099', không phải một năm từ 2016 đến nay. Hãy liên hệ Sở"
            " Nội vụ để được cấp lại phiếu.",
        ),
        (
            lambda wb: wb.remove(wb[EVIDENCE_SHEET]),
            "Tệp không có trang 'Tài liệu kiểm chứng'. Hãy dùng phiếu do Sở Nội vụ cấp và không xóa trang.",
        ),
        (
            lambda wb: wb[SHEET].delete_cols(8),
            "Trang 'Tự đánh giá' dòng 9 thiếu cột 'Giải trình'. Hãy dùng phiếu do Sở Nội vụ cấp và không"
            " xóa cột.",
        ),
    ],
)
def test_a_file_that_is_no_self_assessment_is_refused_whole_with_a_reason(tmp_path, edit, reason):
    path = _edited(filled(tmp_path, {"1.2": (1, None)}), edit)
    with pytest.raises(SelfAssessmentRejected) as refused:
        read_self_assessment(path)
    assert refused.value.reason == reason


def test_a_criterion_scored_twice_counts_once(tmp_path):
    path = filled(tmp_path, {"1.2": (2, None)}, [])
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Tự đánh giá"]
    sheet.insert_rows(13)
    for column in range(1, 9):  # the clerk copies row 12 (1.2) below itself and types another score
        sheet.cell(13, column).value = sheet.cell(12, column).value
    sheet["G13"] = 1
    workbook.save(path)
    scores = [s for s in read_self_assessment(path).scores if s.criterion_code == "1.2"]
    assert [(s.self_score, s.row_status) for s in scores] == [(2.0, "accepted"), (None, "rejected")]
    assert (
        scores[1].issue
        == "Trang 'Tự đánh giá' ô G13: tiêu chí 1.2 đã có ở dòng 12; mỗi tiêu chí chấm một lần."
    )


def test_a_damaged_sheet_is_told_as_damaged_not_as_missing(tmp_path):
    path = damage_sheet(filled(tmp_path, {}), EVIDENCE_SHEET)
    with pytest.raises(SelfAssessmentRejected) as refused:
        read_self_assessment(path)
    assert refused.value.reason == (
        "Không đọc được trang tính 'Tài liệu kiểm chứng' (trang bị hỏng): hãy lưu lại tệp bằng Excel."
    )


def test_a_damaged_hidden_list_is_read_as_a_form_without_it(tmp_path):
    # the drop-down's list only narrows the codes a document may name; the clerk cannot see it to fix
    whole = filled(tmp_path, {})
    damaged = damage_sheet(shutil.copy(whole, tmp_path / "danh-muc-hong.xlsx"), LISTS_SHEET)
    assert read_self_assessment(damaged).evidence == read_self_assessment(whole).evidence
