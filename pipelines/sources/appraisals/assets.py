"""Appraisal workbooks in raw/appraisals → raw_appraisals tables: the council's score per agency and
criterion with its reason, and the self-assessments it returns.

A round brings a few files a year, so the folder is one run (`pipelines.landing.folder_source`): a file
that is not an appraisal workbook is recorded as rejected with its reason, and so quarantined; the
others load.
"""

from pipelines.landing.faults import read_or_refuse
from pipelines.landing.folder_source import folder_source
from pipelines.landing.ledger import Landed
from pipelines.sources.appraisals import load
from pipelines.sources.appraisals.read import AppraisalRejected, read_appraisal

LEDGER = load.LEDGER


def _read(landed: Landed):
    reading, reason = read_or_refuse(read_appraisal, landed.file, AppraisalRejected)
    frames = {
        "appraisal_scores": load.score_frame(reading),
        "appraisal_decisions": load.decision_frame(reading),
    }
    said = ""
    if reading is not None:
        bad = sum(1 for row in (*reading.scores, *reading.decisions) if row.issue)
        said = (
            f"({reading.province_key}, {reading.assessed_year}): {len(reading.scores)} scores,"
            f" {len(reading.decisions)} decisions, {bad} rows rejected"
        )
    return load.file_frame(landed, reading=reading, rejection_reason=reason), frames, reason, said


SOURCE = folder_source(
    name="appraisals",
    title="Appraisals",
    noun="appraisal",
    ledger=LEDGER,
    reader=__name__,
    asset_name="appraisal_tables",
    descriptions={
        "appraisal_files": (
            "One row per appraisal workbook in raw/appraisals: loaded with its province, year and "
            "appraiser, or rejected and why."
        ),
        "appraisal_scores": (
            "Scores the council appraised: agency, criterion, the self-assessment content, score, reason."
        ),
        "appraisal_decisions": (
            "Self-assessments the council accepts or returns (Chấp nhận / Trả lại), with the reason."
        ),
        "appraisal_file_versions": "Every content an appraisal file has had: appended, never rewritten.",
    },
    read=_read,
)
appraisal_tables = SOURCE.assets
