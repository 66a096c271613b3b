"""Index files in raw/indices → raw_indices tables (the PAR INDEX, SIPAS, PCI, PAPI history).

One asset for the folder: a handful of files a year arrive there, so each materialization reads again
only the files whose content, or whose reader, changed since they were loaded, and forgets removed
ones. A file that cannot be read is recorded as rejected with its reason; the others load.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.indices import load
from pipelines.indices.parse import read_index_file
from pipelines.indices.scores import IndexFileRejected, IndexReading
from pipelines.landing.ledger import land, pending
from pipelines.landing.versions import reader_version
from pipelines.resources import WAREHOUSE_POOL
from pipelines.settings import Settings

LEDGER = load.LEDGER

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


def index_reader_version() -> str:
    return reader_version("indices", "workbooks.py")


@dg.multi_asset(specs=_SPECS, pool=WAREHOUSE_POOL, can_subset=False)
def index_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, settings: Settings):
    """Load new or changed files of raw/indices, forget removed ones, keep the rest as loaded."""
    version = index_reader_version()
    loaded = rejected = 0
    with duckdb.get_connection() as conn:
        LEDGER.ensure(conn)
        todo = pending(settings.indices_dir, LEDGER.current(conn), version)
        for key in todo.changed:
            landed = land(settings.indices_dir, key, settings.archive_dir("indices"), version)
            reading, reason = _read(landed.archived_file)
            if reading is None:
                rejected += 1
                context.log.warning(f"Index file {key} rejected: {reason}")
            else:
                loaded += 1
                context.log.info(
                    f"Index file {key}: {len(reading.scores)} figures, {', '.join(reading.index_codes)} "
                    f"{min(reading.years)}-{max(reading.years)}, {len(reading.warnings)} warnings, "
                    f"{len(reading.unresolved)} labels that name no province"
                )
            LEDGER.write(
                conn,
                load.file_frame(landed, reading=reading, rejection_reason=reason),
                {"index_scores": load.score_frame(reading)},
            )
        LEDGER.forget(conn, todo.removed)
        (files,) = conn.execute(f"select count(*) from {LEDGER.schema}.index_files").fetchone()
        (scores,) = conn.execute(f"select count(*) from {LEDGER.schema}.index_scores").fetchone()
    if todo.removed:
        context.log.info(f"Index files no longer in raw/indices, rows removed: {', '.join(todo.removed)}")
    common = {"files": files, "read_now": loaded + rejected, "parser_version": version}
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("index_files"),
        metadata={**common, "loaded_now": loaded, "rejected_now": rejected},
    )
    yield dg.MaterializeResult(asset_key=LEDGER.key("index_scores"), metadata={**common, "rows": scores})
    yield dg.MaterializeResult(asset_key=LEDGER.key("index_file_versions"), metadata=common)


def _read(path: Path) -> tuple[IndexReading | None, str | None]:
    try:
        return read_index_file(path), None
    except IndexFileRejected as rejection:
        return None, rejection.reason
