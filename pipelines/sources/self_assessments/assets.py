"""Self-assessment workbooks in raw/self_assessments → raw_self_assessments tables: the score each agency
gives itself per criterion, its explanations and the documents it names as proof.

A round brings one file per agency a year (and a corrected one now and then), so the folder is one run
(`pipelines.landing.folder_source`): a file that is not a self-assessment is recorded as rejected with
its reason, and so quarantined; the others load.
"""

from pipelines.landing.faults import read_or_refuse
from pipelines.landing.folder_source import folder_source
from pipelines.landing.ledger import Landed
from pipelines.sources.self_assessments import load
from pipelines.sources.self_assessments.read import SelfAssessmentRejected, read_self_assessment

LEDGER = load.LEDGER


def _read(landed: Landed):
    reading, reason = read_or_refuse(read_self_assessment, landed.file, SelfAssessmentRejected)
    frames = {
        "self_assessment_scores": load.score_frame(reading),
        "self_assessment_evidence": load.evidence_frame(reading),
    }
    said = ""
    if reading is not None:
        bad = sum(1 for row in (*reading.scores, *reading.evidence) if row.issue)
        said = (
            f"({reading.agency_key}, {reading.assessed_year}): {len(reading.scores)} scores,"
            f" {len(reading.evidence)} documents, {bad} rows rejected"
        )
    return load.file_frame(landed, reading=reading, rejection_reason=reason), frames, reason, said


SOURCE = folder_source(
    name="self_assessments",
    title="Self-assessments",
    noun="self_assessment",
    ledger=LEDGER,
    reader=__name__,
    asset_name="self_assessment_tables",
    descriptions={
        "self_assessment_files": (
            "One row per self-assessment in raw/self_assessments: loaded with its agency, year and "
            "criteria set, or rejected and why."
        ),
        "self_assessment_scores": (
            "Scores of each self-assessment: criterion, the score typed, explanation, row status."
        ),
        "self_assessment_evidence": (
            "Documents named as proof: criterion, number, date, issuer (resolved), extract, link, row status."
        ),
        "self_assessment_file_versions": (
            "Every content a self-assessment file has had: appended, never rewritten."
        ),
    },
    read=_read,
)
self_assessment_tables = SOURCE.assets
