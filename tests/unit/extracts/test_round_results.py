"""Why a criterion lost points, as the scorecard says it, and the criteria an agency never scored folded
into one line so the card stays one page."""

from __future__ import annotations

from pipelines.extracts.round_results import _lost, _why


def _row(code, maximum, appraised, **fields):
    row = {
        "criterion_code": code,
        "criterion_name_vi": f"Tiêu chí {code}",
        "max_points": maximum,
        "appraised_score": appraised,
        "claimed_score": None,
        "self_score": None,
        "adjustment": None,
        "appraisal_reason": None,
        "data_score": None,
        "data_basis_vi": None,
        "evidence_status": "not_scored",
        "findings": None,
    }
    return row | fields


def test_why_names_the_councils_reason_the_data_and_the_proof():
    cut = _row(
        "3.3",
        5,
        0,
        claimed_score=5,
        adjustment=-5,
        appraisal_reason="Tài liệu của cơ quan khác.",
        evidence_status="findings",
        findings=["Văn bản '20/KH-STP' cũng được Sở Tư pháp dùng.", "b", "c"],
    )
    assert _why(cut) == (
        "Hội đồng điều chỉnh 5 → 0: Tài liệu của cơ quan khác.\n"
        "Văn bản '20/KH-STP' cũng được Sở Tư pháp dùng.\nb"
    )
    data = _row(
        "1.2.1", 1, 0, data_score=0, data_basis_vi="3/4 báo cáo đúng hạn (75 %): 0/1", evidence_status="data"
    )
    assert _why(data) == "Theo dữ liệu: 3/4 báo cáo đúng hạn (75 %): 0/1"
    survey = _row("8.1", 20, 12, evidence_status="survey")
    assert _why(survey) == "Điều tra xã hội học: 12/20"
    kept = _row("2.2", 3, 2.5, self_score=2.5, evidence_status="ok")
    assert _why(kept) == "Tự chấm 2,5/3"


def test_what_was_never_scored_is_one_line_after_the_rest():
    rows = [
        _row("1.3", 3, 0),
        _row("2.1", 4, 0),
        _row("1.2.1", 1, 0, data_score=0, evidence_status="data"),
        _row("1.1.1", 1, 0.5, adjustment=-0.5, claimed_score=1, evidence_status="findings"),
        _row("1.4", 2, 2, evidence_status="ok"),  # nothing lost
        _row("7.1", 5, None),  # not appraised yet: not on the card
    ]
    assert [line[:5] for line in _lost(rows)] == [
        ["1.2.1", "Tiêu chí 1.2.1", 1, 0, 1],
        ["1.1.1", "Tiêu chí 1.1.1", 1, 0.5, 0.5],
        ["…", "2 tiêu chí chưa tự chấm", 7, 0, 7],
    ]
    assert _lost(rows)[-1][5] == "Cơ quan không tự chấm, không có tài liệu kiểm chứng: 1.3, 2.1"
