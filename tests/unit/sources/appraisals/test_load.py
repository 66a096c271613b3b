"""An appraisal reading becomes the rows of raw_appraisals in the columns the ledger declares."""

from __future__ import annotations

from pipelines.sources.appraisals.load import DECISION_COLUMNS, SCORE_COLUMNS, decision_frame, score_frame
from pipelines.sources.appraisals.read import AppraisalReading, AppraisedScore
from pipelines.sources.decisions import Decision


def test_a_reading_gives_a_row_per_score_and_per_decision():
    reading = AppraisalReading(
        "dong_nai",
        2024,
        "Hội đồng",
        [
            AppraisedScore(
                7, "dong_nai.so_noi_vu", "1.4", "snv.xlsx", "h", "1,5", "I7", 1.5, "Thiếu.", "accepted"
            )
        ],
        [Decision(6, "snv.xlsx", "h", "Trả lại", "F6", "returned", "Bổ sung.", "accepted")],
    )
    scores, decisions = score_frame(reading), decision_frame(reading)
    assert scores.columns == list(SCORE_COLUMNS) and decisions.columns == list(DECISION_COLUMNS)
    assert scores.select("sheet_name", "agency_key", "self_assessment_hash", "appraised_score").rows() == [
        ("Thẩm định", "dong_nai.so_noi_vu", "h", 1.5)
    ]
    assert decisions.select("sheet_name", "self_assessment_file", "decision").rows() == [
        ("Hồ sơ", "snv.xlsx", "returned")
    ]
    assert score_frame(None).height == 0 and decision_frame(None).height == 0
