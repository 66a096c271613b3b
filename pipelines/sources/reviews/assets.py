"""Review workbooks in raw/reviews → raw_reviews tables: Sở Nội vụ's decisions on report files.

A few files a period arrive, so the folder is one run (partition `all`), like the indices: it reads
again only the files whose content, or whose reader, changed since they were loaded, and forgets
removed ones (their decisions go with them: the state is the warehouse plus raw/). A file that is not a
review workbook is recorded as rejected with its reason, and so quarantined; the others load.
"""

from pathlib import Path

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines.landing.ledger import Landed
from pipelines.landing.source import FOLDER, RunFiles, Source, one_run_per_folder
from pipelines.settings import WAREHOUSE_POOL, Settings
from pipelines.sources.reviews import load
from pipelines.sources.reviews.read import ReviewReading, ReviewRejected, read_review

LEDGER = load.LEDGER
review_folder = dg.StaticPartitionsDefinition([FOLDER])

_SPECS = [
    LEDGER.spec(
        "review_files",
        "One row per review file in raw/reviews: loaded with its period and reviewer, or rejected and why.",
    ),
    LEDGER.spec(
        "review_decisions",
        "Decisions of each review file: report file and content, Chấp nhận / Trả lại, reason, row status.",
        "review_files",
    ),
    LEDGER.spec(
        "review_file_versions",
        "Every content a review file has had: appended, never rewritten.",
        "review_files",
    ),
]


def _read(path: Path) -> tuple[ReviewReading | None, str | None]:
    try:
        return read_review(path), None
    except ReviewRejected as rejection:
        return None, rejection.reason


@dg.multi_asset(specs=_SPECS, partitions_def=review_folder, pool=WAREHOUSE_POOL, can_subset=False)
def review_tables(
    context: dg.AssetExecutionContext, config: RunFiles, duckdb: DuckDBResource, settings: Settings
):
    """Load new or changed files of raw/reviews, forget removed ones, keep the rest as loaded."""

    def load_file(landed: Landed) -> tuple[pl.DataFrame, dict[str, pl.DataFrame], str | None]:
        reading, reason = _read(landed.archived_file)
        if reading is None:
            context.log.warning(f"Review file {landed.source_file} rejected: {reason}")
        else:
            bad = sum(1 for decision in reading.decisions if decision.issue)
            context.log.info(
                f"Review file {landed.source_file} ({reading.period_key}): {len(reading.decisions)} decision"
                f" rows, {bad} rejected"
            )
        frames = {"review_decisions": load.decision_frame(reading)}
        return load.file_frame(landed, reading=reading, rejection_reason=reason), frames, reason

    with duckdb.get_connection() as conn:
        outcomes, forgotten = SOURCE.load_each(conn, settings, context.partition_key, config, load_file)
    if forgotten:
        context.log.info(f"Review files no longer in raw/reviews, rows removed: {', '.join(forgotten)}")
    rejected = sum(1 for reason in outcomes.values() if reason is not None)
    common = {"read_now": len(outcomes), "parser_version": SOURCE.reader_version()}
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("review_files"),
        metadata={**common, "loaded_now": len(outcomes) - rejected, "rejected_now": rejected},
    )
    yield dg.MaterializeResult(asset_key=LEDGER.key("review_decisions"), metadata=common)
    yield dg.MaterializeResult(asset_key=LEDGER.key("review_file_versions"), metadata=common)


SOURCE = Source(
    name="reviews",
    title="Review files",
    noun="review",
    ledger=LEDGER,
    reader=__name__,
    group=one_run_per_folder,
    partitions=review_folder,
    assets=review_tables,
    files_mart=("review_files", "file_status"),
)
