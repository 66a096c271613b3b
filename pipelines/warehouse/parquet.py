"""Parquet files of what BI tools read, for tools that prefer files to a database: every view of
schema `bi` and every mart of schema `main`, written from the published copy after each publication.

`warehouse/parquet/<schema>/<table>.parquet`, each replaced atomically (written beside, then renamed);
files of tables that no longer exist are removed.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.settings import OWNERS, Settings
from pipelines.warehouse.dbt_assets import WAREHOUSE_GROUP
from pipelines.warehouse.publish import published_warehouse

EXPORTED_SCHEMAS = ("bi", "main")


def write_parquet(database: Path, directory: Path) -> dict[str, int]:
    """Every table and view of the exported schemas of `database` as Parquet under `directory`:
    '<schema>.<table>' → rows written."""
    written: dict[str, int] = {}
    with duckdb.connect(str(database), read_only=True) as conn:
        names = conn.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_catalog = current_database() and list_contains(?, table_schema) order by all",
            [list(EXPORTED_SCHEMAS)],
        ).fetchall()
        for schema, table in names:
            target = directory / schema / f"{table}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = target.with_name(f".{target.name}.tmp")
            # COPY answers the rows it wrote: a view is not computed a second time to count them
            (rows,) = conn.execute(
                f'copy (select * from "{schema}"."{table}") to \'{staging}\' (format parquet)'
            ).fetchone()
            os.replace(staging, target)
            written[f"{schema}.{table}"] = rows
    for schema in EXPORTED_SCHEMAS:
        for stale in (directory / schema).glob("*.parquet"):
            if f"{schema}.{stale.stem}" not in written:
                stale.unlink()
    return written


@dg.asset(deps=[published_warehouse], group_name=WAREHOUSE_GROUP, owners=OWNERS)
def parquet_files(settings: Settings) -> dg.MaterializeResult:
    """The `bi` views and the marts as Parquet files (warehouse/parquet/), from the published copy: it
    reads no writer's file, so it needs no writer slot."""
    written = write_parquet(settings.published_path, settings.parquet_dir)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.parquet_dir)),
            "files": len(written),
            "rows": sum(written.values()),
        }
    )
