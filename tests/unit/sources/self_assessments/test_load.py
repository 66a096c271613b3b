"""A self-assessment reading becomes the rows of raw_self_assessments: the file's agency, year, set and
contacts, one row per score and per document with its status, in the columns the ledger declares."""

from __future__ import annotations

from datetime import date

from pipelines.sources.self_assessments.load import (
    EVIDENCE_COLUMNS,
    SCORE_COLUMNS,
    evidence_frame,
    score_frame,
)
from pipelines.sources.self_assessments.read import Evidence, Score, SelfAssessmentReading


def test_a_reading_gives_a_row_per_score_and_per_document_in_the_declared_columns():
    reading = SelfAssessmentReading(
        "dong_nai.so_noi_vu",
        2024,
        "dong_nai_so_2024",
        "Lê Văn Tâm",
        None,
        "letam@dongnai.gov.vn",
        [
            Score(12, "1.2", "1,5", "G12", 1.5, None, "H12", "accepted"),
            Score(13, "1.3", "hai", "G13", None, None, "H13", "rejected", "Trang 'Tự đánh giá' ô G13: …"),
        ],
        [
            Evidence(
                5,
                "1.2",
                "B5",
                "15/KH-SNV",
                "C5",
                date(2024, 1, 20),
                "2024-01-20T00:00:00",
                "D5",
                "Sở Nội vụ",
                "E5",
                "dong_nai.so_noi_vu",
                "resolved",
                "Kế hoạch",
                None,
                "G5",
                "accepted",
            ),
        ],
    )
    scores, evidence = score_frame(reading), evidence_frame(reading)
    assert scores.columns == list(SCORE_COLUMNS) and evidence.columns == list(EVIDENCE_COLUMNS)
    assert scores.select("sheet_name", "row_number", "self_score", "row_status").rows() == [
        ("Tự đánh giá", 12, 1.5, "accepted"),
        ("Tự đánh giá", 13, None, "rejected"),
    ]
    assert evidence.select("sheet_name", "document_number", "issued_on", "issuer_agency_key").rows() == [
        ("Tài liệu kiểm chứng", "15/KH-SNV", date(2024, 1, 20), "dong_nai.so_noi_vu")
    ]
    assert score_frame(None).height == 0 and evidence_frame(None).height == 0
