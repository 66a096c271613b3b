"""A review reading becomes the rows of raw_reviews: the file's period, reviewer and count, and one row per
filled decision with its status, in the columns the ledger declares."""

from __future__ import annotations

from pipelines.sources.decisions import Decision
from pipelines.sources.reviews.load import DECISION_COLUMNS, decision_frame
from pipelines.sources.reviews.read import ReviewReading


def test_a_reading_gives_one_row_per_decision_in_the_declared_columns():
    reading = ReviewReading(
        "2024-Q3",
        "Phạm Thị Hồng",
        [
            Decision(6, "a.xlsx", "a" * 64, "Chấp nhận", "H6", "accepted", None, "accepted"),
            Decision(
                7, "b.xlsx", "b" * 64, "Đồng ý", "H7", None, None, "rejected", "Trang 'Xem xét' ô H7: …"
            ),
        ],
    )
    frame = decision_frame(reading)
    assert frame.columns == list(DECISION_COLUMNS)
    assert frame.select("sheet_name", "row_number", "decision", "row_status", "issue").rows() == [
        ("Xem xét", 6, "accepted", "accepted", None),
        ("Xem xét", 7, None, "rejected", "Trang 'Xem xét' ô H7: …"),
    ]
    assert decision_frame(None).height == 0
