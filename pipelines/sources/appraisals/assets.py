"""Appraisal workbooks in raw/appraisals → raw_appraisals tables: the council's score per agency and
criterion with its reason, and the self-assessments it returns.

A round brings a few files a year, so the folder is one run (partition `all`), like the reviews: it reads
again only the files whose content, or whose reader, changed, and forgets removed ones. A file that is not
an appraisal workbook is recorded as rejected with its reason, and so quarantined; the others load.
"""

from pathlib import Path

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines.landing.ledger import Landed
from pipelines.landing.source import FOLDER, RunFiles, Source, one_run_per_folder
from pipelines.settings import WAREHOUSE_POOL, Settings
from pipelines.sources.appraisals import load
from pipelines.sources.appraisals.read import AppraisalReading, AppraisalRejected, read_appraisal

LEDGER = load.LEDGER
appraisal_folder = dg.StaticPartitionsDefinition([FOLDER])

_SPECS = [
    LEDGER.spec(
        "appraisal_files",
        "One row per appraisal workbook in raw/appraisals: loaded with its province, year and appraiser, or"
        " rejected and why.",
    ),
    LEDGER.spec(
        "appraisal_scores",
        "Scores the council appraised: agency, criterion, the self-assessment content, score, reason.",
        "appraisal_files",
    ),
    LEDGER.spec(
        "appraisal_decisions",
        "Self-assessments the council accepts or returns (Chấp nhận / Trả lại), with the reason.",
        "appraisal_files",
    ),
    LEDGER.spec(
        "appraisal_file_versions",
        "Every content an appraisal file has had: appended, never rewritten.",
        "appraisal_files",
    ),
]


def _read(path: Path) -> tuple[AppraisalReading | None, str | None]:
    try:
        return read_appraisal(path), None
    except AppraisalRejected as rejection:
        return None, rejection.reason


@dg.multi_asset(specs=_SPECS, partitions_def=appraisal_folder, pool=WAREHOUSE_POOL, can_subset=False)
def appraisal_tables(
    context: dg.AssetExecutionContext, config: RunFiles, duckdb: DuckDBResource, settings: Settings
):
    """Load new or changed files of raw/appraisals, forget removed ones, keep the rest as loaded."""

    def load_file(landed: Landed) -> tuple[pl.DataFrame, dict[str, pl.DataFrame], str | None]:
        reading, reason = _read(landed.archived_file)
        if reading is None:
            context.log.warning(f"Appraisal {landed.source_file} rejected: {reason}")
        else:
            bad = sum(1 for row in (*reading.scores, *reading.decisions) if row.issue)
            context.log.info(
                f"Appraisal {landed.source_file} ({reading.province_key}, {reading.assessed_year}):"
                f" {len(reading.scores)} scores, {len(reading.decisions)} decisions, {bad} rows rejected"
            )
        frames = {
            "appraisal_scores": load.score_frame(reading),
            "appraisal_decisions": load.decision_frame(reading),
        }
        return load.file_frame(landed, reading=reading, rejection_reason=reason), frames, reason

    with duckdb.get_connection() as conn:
        outcomes, forgotten = SOURCE.load_each(conn, settings, context.partition_key, config, load_file)
    if forgotten:
        context.log.info(f"Appraisals no longer in raw/appraisals, rows removed: {', '.join(forgotten)}")
    rejected = sum(1 for reason in outcomes.values() if reason is not None)
    common = {"read_now": len(outcomes), "parser_version": SOURCE.reader_version()}
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("appraisal_files"),
        metadata={**common, "loaded_now": len(outcomes) - rejected, "rejected_now": rejected},
    )
    for table in ("appraisal_scores", "appraisal_decisions", "appraisal_file_versions"):
        yield dg.MaterializeResult(asset_key=LEDGER.key(table), metadata=common)


SOURCE = Source(
    name="appraisals",
    title="Appraisals",
    noun="appraisal",
    ledger=LEDGER,
    reader=__name__,
    group=one_run_per_folder,
    partitions=appraisal_folder,
    assets=appraisal_tables,
    files_mart=("appraisal_files", "file_status"),
)
