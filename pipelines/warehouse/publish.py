"""The published copy of the warehouse, for readers.

DuckDB lets one process write a database file, and while it writes no other process may open
that file at all. BI tools therefore read `<warehouse>_published.duckdb`, a checkpointed copy that
replaces the previous one atomically once a build has finished: a reader sees the old copy or
the new one, never a half-written file, and never blocks the pipeline.
"""

import os
import shutil
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines import crashpoints
from pipelines.landing.ledger import RawTables
from pipelines.settings import OWNERS, WAREHOUSE_POOL, Settings
from pipelines.warehouse import builds
from pipelines.warehouse.dbt_assets import WAREHOUSE_GROUP, cchc_dbt_models


def publish_copy(source: Path, target: Path) -> None:
    """Copy a checkpointed database file over `target` atomically (same directory, then rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, staging)
    crashpoints.reached(crashpoints.PUBLISH)
    os.replace(staging, target)


@dg.asset(
    deps=list(cchc_dbt_models.keys),
    group_name=WAREHOUSE_GROUP,
    owners=OWNERS,
    pool=WAREHOUSE_POOL,
)
def published_warehouse(
    duckdb: DuckDBResource, settings: Settings, raw_tables: dg.ResourceParam[RawTables]
) -> dg.MaterializeResult:
    """Read-only copy of the warehouse that BI tools open while the pipeline runs, with a note of what
    it was built from (warehouse.builds), so the next run builds only what changed since."""
    with duckdb.get_connection() as conn:
        builds.record(conn, raw_tables.ledgers)
        conn.execute("checkpoint")
        tables = conn.execute("select count(*) from duckdb_tables() where schema_name = 'main'").fetchone()[0]
    target = settings.published_path
    publish_copy(Path(duckdb.database), target)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "mart_tables": tables,
            "size_bytes": target.stat().st_size,
        }
    )
