"""An appraisal workbook as the council sends it back: scores read with their keys and cells, a score
that differs from the claim without a reason, one out of bounds or not a number rejected alone; the
survey's score needs no reason (nothing was claimed); returns read from the files sheet; a file that is
no appraisal workbook refused whole."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from pipelines.forms.appraisal import write_appraisal_workbook
from pipelines.sources.appraisals.read import AppraisalRejected, read_appraisal
from tests.unit.formats.test_workbooks import damage_sheet
from tests.unit.forms.test_appraisal import FILES, HASH, ROWS


def filled(directory: Path, scores: dict[int, tuple], decision=(None, None), *, insert_rows: int = 0) -> Path:
    """The workbook of tests.unit.forms.test_appraisal with (score, reason) typed on data rows 1..3."""
    path = write_appraisal_workbook(
        directory / "mau.xlsx", "dong_nai", "Đồng Nai", 2024, datetime(2025, 2, 1), ROWS, FILES
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Thẩm định"]
    sheet["C3"] = "Hội đồng"
    for number, (score, reason) in scores.items():
        sheet.cell(5 + number, 9).value = score
        sheet.cell(5 + number, 10).value = reason  # None clears the reason the form carried
    files = workbook["Hồ sơ"]
    files["F6"], files["G6"] = decision
    if insert_rows:
        sheet.insert_rows(1, insert_rows)
    workbook.save(directory / "da-dien.xlsx")
    return directory / "da-dien.xlsx"


@pytest.mark.parametrize("inserted", [0, 2])
def test_scores_and_returns_are_read_with_their_keys(tmp_path, inserted):
    reading = read_appraisal(
        filled(
            tmp_path,
            {2: (1.5, "Thiếu nội dung."), 3: ("12", None)},
            ("Trả lại", "Bổ sung tài liệu."),
            insert_rows=inserted,
        )
    )
    assert (reading.province_key, reading.assessed_year, reading.appraiser, reading.warnings) == (
        "dong_nai",
        2024,
        "Hội đồng",
        [],
    )
    assert [
        (
            s.agency_key,
            s.criterion_code,
            s.appraised_score,
            s.reason,
            s.row_status,
            s.content_hash,
            s.score_cell,
        )
        for s in reading.scores
    ] == [
        ("dong_nai.so_noi_vu", "1.2.1", 0.0, None, "accepted", HASH, f"I{6 + inserted}"),
        ("dong_nai.so_noi_vu", "1.4", 1.5, "Thiếu nội dung.", "accepted", HASH, f"I{7 + inserted}"),
        ("dong_nai.so_noi_vu", "8.1", 12.0, None, "accepted", HASH, f"I{8 + inserted}"),
    ]
    ((decision),) = reading.decisions
    assert (decision.file, decision.content_hash, decision.decision, decision.reason) == (
        "snv.xlsx",
        HASH,
        "returned",
        "Bổ sung tài liệu.",
    )


@pytest.mark.parametrize(
    ("typed", "issue"),
    [
        (
            1,
            "Trang 'Thẩm định' ô J7: điểm thẩm định khác điểm cơ quan đề nghị (2) mà không ghi lý do;"
            " cơ quan cần biết vì sao bị điều chỉnh.",
        ),
        (3, "Trang 'Thẩm định' ô I7: điểm 3 ngoài khoảng từ 0 đến điểm tối đa 2."),
        ("hai", "Trang 'Thẩm định' ô I7: 'hai' không phải số điểm; nhập một số, ví dụ 0,5."),
    ],
)
def test_a_score_that_cannot_stand_is_rejected_alone(tmp_path, typed, issue):
    reading = read_appraisal(filled(tmp_path, {2: (typed, None)}))
    rows = {score.criterion_code: score for score in reading.scores}
    assert (rows["1.4"].row_status, rows["1.4"].appraised_score, rows["1.4"].issue) == (
        "rejected",
        None,
        issue,
    )
    assert rows["1.2.1"].row_status == "accepted"
    assert "8.1" not in rows  # left blank: not appraised yet


def test_a_file_that_is_no_appraisal_is_refused(tmp_path):
    path = filled(tmp_path, {})
    workbook = openpyxl.load_workbook(path)
    workbook["_cchc"]["B3"] = "dong_nai_cu"
    workbook.save(path)
    with pytest.raises(AppraisalRejected) as refused:
        read_appraisal(path)
    assert refused.value.reason == "Trang ẩn '_cchc' ghi tỉnh 'dong_nai_cu', không có trong danh mục."


def test_a_damaged_sheet_is_told_as_damaged_not_as_missing(tmp_path):
    path = damage_sheet(filled(tmp_path, {1: (3, None)}), "Hồ sơ")
    with pytest.raises(AppraisalRejected) as refused:
        read_appraisal(path)
    assert (
        refused.value.reason
        == "Không đọc được trang tính 'Hồ sơ' (trang bị hỏng): hãy lưu lại tệp bằng Excel."
    )
