"""Index files in raw/indices → index_files, index_scores (the PAR INDEX, SIPAS, PCI, PAPI history).

One asset for the folder: a handful of files a year arrive there, so each materialization looks at
every file and reads again only those whose content, or whose reader, changed since they were loaded.
A file that cannot be read is recorded as rejected with its reason; the others load.
"""

from functools import cache, partial
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.indices import load
from pipelines.indices.parse import read_index_file
from pipelines.indices.scores import IndexFileRejected, IndexReading
from pipelines.landing import archive, code_digest, landed_files
from pipelines.resources import ProjectPaths
from pipelines.settings import SEEDS_DIR
from pipelines.warehouse.pools import WAREHOUSE_POOL
from pipelines.warehouse.raw_assets import raw_table_spec

INDICES_GROUP = "indices"


@cache
def parser_version() -> str:
    """A digest of the index readers, the text matchers and the reference data they use."""
    package = Path(__file__).resolve().parent.parent
    return code_digest(
        [
            *(package / "indices").glob("*.py"),
            *(package / "text").glob("*.py"),
            package / "workbooks.py",
            *SEEDS_DIR.glob("*.csv"),
        ]
    )


_spec = partial(raw_table_spec, INDICES_GROUP)


_SPECS = [
    _spec(
        "index_files",
        "One row per file in raw/indices: loaded with its warnings, or rejected with the reason.",
    ),
    _spec(
        "index_scores",
        "Published index figures: index × year × province (or the nation) × component, score and rank.",
        "index_files",
    ),
    _spec(
        "index_file_versions",
        "Every content an index file has had: appended, never rewritten.",
        "index_files",
    ),
]


@dg.multi_asset(specs=_SPECS, pool=WAREHOUSE_POOL, can_subset=False)
def index_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: ProjectPaths):
    """Load new or changed files of raw/indices, forget removed ones, keep the rest as loaded."""
    settings = paths.settings()
    directory = settings.raw_dir / "indices"
    files = landed_files(directory)
    version = parser_version()
    loaded = rejected = 0
    with duckdb.get_connection() as conn:
        load.ensure_tables(conn)
        current = load.loaded_versions(conn)
        for key, digest in files.items():
            if current.get(key) == (digest, version):
                continue
            path = directory / key
            archived = str(archive(path, digest, settings.warehouse_dir / "archive" / "indices"))
            reading, reason = _read(path)
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
            conn.execute("begin transaction")
            load.replace_file(
                conn,
                load.file_frame(key, digest, version, archived, reading=reading, rejection_reason=reason),
                load.score_frame(reading, key, digest),
            )
            conn.execute("commit")
        conn.execute("begin transaction")
        gone = load.forget_files(conn, set(files))
        conn.execute("commit")
        (scores,) = conn.execute(f"select count(*) from {load.SCHEMA}.index_scores").fetchone()
    if gone:
        context.log.info(f"Index files no longer in raw/indices, rows removed: {', '.join(gone)}")
    common = {"files": len(files), "read_now": loaded + rejected, "parser_version": version}
    yield dg.MaterializeResult(
        asset_key="index_files", metadata={**common, "loaded_now": loaded, "rejected_now": rejected}
    )
    yield dg.MaterializeResult(asset_key="index_scores", metadata={**common, "rows": scores})
    yield dg.MaterializeResult(asset_key="index_file_versions", metadata=common)


def _read(path: Path) -> tuple[IndexReading | None, str | None]:
    try:
        return read_index_file(path), None
    except IndexFileRejected as rejection:
        return None, rejection.reason
