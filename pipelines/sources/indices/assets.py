"""Index files in raw/indices → raw_indices tables (the PAR INDEX, SIPAS, PCI, PAPI history).

A handful of files a year arrive there, so the folder is one run (partition `all`): it reads again only
the files whose content, or whose reader, changed since they were loaded, and forgets removed ones. A
file that cannot be read is recorded as rejected with its reason; the others load.
"""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines.landing.faults import read_or_refuse
from pipelines.landing.ledger import Landed
from pipelines.landing.source import FOLDER, RunFiles, Source, one_run_per_folder
from pipelines.settings import WAREHOUSE_POOL, Settings
from pipelines.sources.indices import load
from pipelines.sources.indices.parse import read_index_file
from pipelines.sources.indices.scores import IndexFileRejected

LEDGER = load.LEDGER
index_folder = dg.StaticPartitionsDefinition([FOLDER])

_SPECS = [
    LEDGER.spec(
        "index_files",
        "One row per file in raw/indices: loaded with its warnings, or rejected with the reason.",
    ),
    LEDGER.spec(
        "index_scores",
        "Published index figures: index × year × province (or the nation) × component, score and rank.",
        "index_files",
    ),
    LEDGER.spec(
        "index_file_versions",
        "Every content an index file has had: appended, never rewritten.",
        "index_files",
    ),
]


@dg.multi_asset(specs=_SPECS, partitions_def=index_folder, pool=WAREHOUSE_POOL, can_subset=False)
def index_tables(
    context: dg.AssetExecutionContext, config: RunFiles, duckdb: DuckDBResource, settings: Settings
):
    """Load new or changed files of raw/indices, forget removed ones, keep the rest as loaded."""

    def load_file(landed: Landed) -> tuple[pl.DataFrame, dict[str, pl.DataFrame], str | None]:
        reading, reason = read_or_refuse(read_index_file, landed.file, IndexFileRejected)
        if reading is None:
            context.log.warning(f"Index file {landed.source_file} rejected: {reason}")
        else:
            context.log.info(
                f"Index file {landed.source_file}: {len(reading.scores)} figures, "
                f"{', '.join(reading.index_codes)} {min(reading.years)}-{max(reading.years)}, "
                f"{len(reading.warnings)} warnings, {len(reading.unresolved)} labels that name no province"
            )
        frames = {"index_scores": load.score_frame(reading)}
        return load.file_frame(landed, reading=reading, rejection_reason=reason), frames, reason

    with duckdb.get_connection() as conn:
        outcomes, forgotten = SOURCE.load_each(conn, settings, context.partition_key, config, load_file)
        (files,) = conn.execute(f"select count(*) from {LEDGER.schema}.index_files").fetchone()
        (scores,) = conn.execute(f"select count(*) from {LEDGER.schema}.index_scores").fetchone()
    if forgotten:
        context.log.info(f"Index files no longer in raw/indices, rows removed: {', '.join(forgotten)}")
    version = SOURCE.reader_version()
    rejected = sum(1 for reason in outcomes.values() if reason is not None)
    loaded = len(outcomes) - rejected
    common = {"files": files, "read_now": loaded + rejected, "parser_version": version}
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("index_files"),
        metadata={**common, "loaded_now": loaded, "rejected_now": rejected},
    )
    yield dg.MaterializeResult(asset_key=LEDGER.key("index_scores"), metadata={**common, "rows": scores})
    yield dg.MaterializeResult(asset_key=LEDGER.key("index_file_versions"), metadata=common)


SOURCE = Source(
    name="indices",
    title="Index files",
    noun="index",
    ledger=LEDGER,
    reader=__name__,
    group=one_run_per_folder,
    partitions=index_folder,
    assets=index_tables,
    files_mart=("index_files", "file_status"),
)
