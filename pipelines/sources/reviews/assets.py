"""Review workbooks in raw/reviews → raw_reviews tables: Sở Nội vụ's decisions on report files.

A few files a period arrive, so the folder is one run (`pipelines.landing.folder_source`): a file that
is not a review workbook is recorded as rejected with its reason, and so quarantined; the others load.
"""

from pipelines.landing.faults import read_or_refuse
from pipelines.landing.folder_source import folder_source
from pipelines.landing.ledger import Landed
from pipelines.sources.reviews import load
from pipelines.sources.reviews.read import ReviewRejected, read_review

LEDGER = load.LEDGER


def _read(landed: Landed):
    reading, reason = read_or_refuse(read_review, landed.file, ReviewRejected)
    frames = {"review_decisions": load.decision_frame(reading)}
    said = ""
    if reading is not None:
        bad = sum(1 for decision in reading.decisions if decision.issue)
        said = f"({reading.period_key}): {len(reading.decisions)} decision rows, {bad} rejected"
    return load.file_frame(landed, reading=reading, rejection_reason=reason), frames, reason, said


SOURCE = folder_source(
    name="reviews",
    title="Review files",
    noun="review",
    ledger=LEDGER,
    reader=__name__,
    asset_name="review_tables",
    descriptions={
        "review_files": (
            "One row per review file in raw/reviews: loaded with its period and reviewer, or rejected "
            "and why."
        ),
        "review_decisions": (
            "Decisions of each review file: report file and content, Chấp nhận / Trả lại, reason, row status."
        ),
        "review_file_versions": "Every content a review file has had: appended, never rewritten.",
    },
    read=_read,
)
review_tables = SOURCE.assets
