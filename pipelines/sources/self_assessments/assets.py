"""Self-assessment workbooks in raw/self_assessments → raw_self_assessments tables: the score each agency
gives itself per criterion, its explanations and the documents it names as proof.

A round brings one file per agency a year (and a corrected one now and then), so the folder is one run
(partition `all`), like the reviews: it reads again only the files whose content, or whose reader,
changed since they were loaded, and forgets removed ones. A file that is not a self-assessment is
recorded as rejected with its reason, and so quarantined; the others load.
"""

from pathlib import Path

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines.landing.ledger import Landed
from pipelines.landing.source import FOLDER, RunFiles, Source, one_run_per_folder
from pipelines.settings import WAREHOUSE_POOL, Settings
from pipelines.sources.self_assessments import load
from pipelines.sources.self_assessments.read import (
    SelfAssessmentReading,
    SelfAssessmentRejected,
    read_self_assessment,
)

LEDGER = load.LEDGER
self_assessment_folder = dg.StaticPartitionsDefinition([FOLDER])

_SPECS = [
    LEDGER.spec(
        "self_assessment_files",
        "One row per self-assessment in raw/self_assessments: loaded with its agency, year and criteria set,"
        " or rejected and why.",
    ),
    LEDGER.spec(
        "self_assessment_scores",
        "Scores of each self-assessment: criterion, the score typed, explanation, row status.",
        "self_assessment_files",
    ),
    LEDGER.spec(
        "self_assessment_evidence",
        "Documents named as proof: criterion, number, date, issuer (resolved), extract, link, row status.",
        "self_assessment_files",
    ),
    LEDGER.spec(
        "self_assessment_file_versions",
        "Every content a self-assessment file has had: appended, never rewritten.",
        "self_assessment_files",
    ),
]


def _read(path: Path) -> tuple[SelfAssessmentReading | None, str | None]:
    try:
        return read_self_assessment(path), None
    except SelfAssessmentRejected as rejection:
        return None, rejection.reason


@dg.multi_asset(specs=_SPECS, partitions_def=self_assessment_folder, pool=WAREHOUSE_POOL, can_subset=False)
def self_assessment_tables(
    context: dg.AssetExecutionContext, config: RunFiles, duckdb: DuckDBResource, settings: Settings
):
    """Load new or changed files of raw/self_assessments, forget removed ones, keep the rest as loaded."""

    def load_file(landed: Landed) -> tuple[pl.DataFrame, dict[str, pl.DataFrame], str | None]:
        reading, reason = _read(landed.archived_file)
        if reading is None:
            context.log.warning(f"Self-assessment {landed.source_file} rejected: {reason}")
        else:
            bad = sum(1 for row in (*reading.scores, *reading.evidence) if row.issue)
            context.log.info(
                f"Self-assessment {landed.source_file} ({reading.agency_key}, {reading.assessed_year}):"
                f" {len(reading.scores)} scores, {len(reading.evidence)} documents, {bad} rows rejected"
            )
        frames = {
            "self_assessment_scores": load.score_frame(reading),
            "self_assessment_evidence": load.evidence_frame(reading),
        }
        return load.file_frame(landed, reading=reading, rejection_reason=reason), frames, reason

    with duckdb.get_connection() as conn:
        outcomes, forgotten = SOURCE.load_each(conn, settings, context.partition_key, config, load_file)
    if forgotten:
        context.log.info(
            f"Self-assessments no longer in raw/self_assessments, rows removed: {', '.join(forgotten)}"
        )
    rejected = sum(1 for reason in outcomes.values() if reason is not None)
    common = {"read_now": len(outcomes), "parser_version": SOURCE.reader_version()}
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("self_assessment_files"),
        metadata={**common, "loaded_now": len(outcomes) - rejected, "rejected_now": rejected},
    )
    for table in ("self_assessment_scores", "self_assessment_evidence", "self_assessment_file_versions"):
        yield dg.MaterializeResult(asset_key=LEDGER.key(table), metadata=common)


SOURCE = Source(
    name="self_assessments",
    title="Self-assessments",
    noun="self_assessment",
    ledger=LEDGER,
    reader=__name__,
    group=one_run_per_folder,
    partitions=self_assessment_folder,
    assets=self_assessment_tables,
    files_mart=("self_assessment_files", "file_status"),
)
