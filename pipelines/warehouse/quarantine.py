"""The quarantine list, published apart from the warehouse: every file and row that was not loaded, and
why, read straight from the raw ledgers.

It does not wait for dbt or the quality gates: when a gate blocks the facts (a platform invariant
broke), BI tools keep the last good published copy, and the clerks whose files were refused in the
same run still learn why from `<warehouse>_quarantine.duckdb`, replaced atomically like the published
copy. Duplicates and superseded files are not quarantined: they are decided in dbt (plan_documents,
index_files, report_submissions).
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from pipelines.landing.ledger import Ledger, RawTables
from pipelines.settings import OWNERS, WAREHOUSE_POOL, Settings

FILES_TABLE = "quarantined_files"
ROWS_TABLE = "quarantined_rows"


def _files_query(ledger: Ledger) -> str:
    return f"""
        select '{ledger.group}' as source, source_file, content_hash,
            make_timestamp(modified_ns // 1000) as received_at, ingested_at,
            rejection_reason as reason, archived_path
        from {ledger.schema}.{ledger.files_table}
        where status = 'rejected'
    """


def _rows_queries(ledger: Ledger) -> list[str]:
    """Rejected rows of the row tables that judge each row (a row status and its issue)."""
    return [
        f"""
        select '{ledger.group}' as source, source_file, '{table}' as table_name, sheet_name,
            row_number, issue as reason
        from {ledger.schema}.{table}
        where row_status = 'rejected'
        """
        for table, columns in ledger.row_tables.items()
        if {"row_status", "issue", "sheet_name", "row_number"} <= columns.keys()
    ]


def publish_quarantine(
    conn: duckdb.DuckDBPyConnection, ledgers: tuple[Ledger, ...], target: Path
) -> tuple[int, int]:
    """Write the files and rows the raw ledgers hold as rejected, with their reasons, to a new database
    file beside `target`, then put it in place atomically. The counts of files and rows written."""
    staging = target.with_name(f".{target.name}.tmp")
    staging.unlink(missing_ok=True)
    rows_sql = [query for ledger in ledgers for query in _rows_queries(ledger)]
    conn.execute(f"attach '{staging}' as quarantine_out")
    try:
        conn.execute(
            f"create table quarantine_out.{FILES_TABLE} as "
            + " union all ".join(map(_files_query, ledgers))
            + " order by source, source_file"
        )
        conn.execute(
            f"create table quarantine_out.{ROWS_TABLE} as "
            + " union all ".join(rows_sql)
            + " order by source, source_file, table_name, row_number"
        )
        counts = tuple(
            conn.execute(f"select count(*) from quarantine_out.{table}").fetchone()[0]
            for table in (FILES_TABLE, ROWS_TABLE)
        )
    finally:
        conn.execute("detach quarantine_out")
    os.replace(staging, target)
    return counts


def quarantine_asset(ledgers: tuple[Ledger, ...], group: str) -> dg.AssetsDefinition:
    """The quarantine list as an asset downstream of every source's files table and nothing else."""

    @dg.asset(
        name="quarantine_list",
        deps=[ledger.key(ledger.files_table) for ledger in ledgers],
        group_name=group,
        owners=OWNERS,
        pool=WAREHOUSE_POOL,
    )
    def quarantine_list(
        duckdb: DuckDBResource, settings: Settings, raw_tables: dg.ResourceParam[RawTables]
    ) -> dg.MaterializeResult:
        """Files and rows refused at reading, with the reason for whoever sent them, published apart
        from the warehouse (`<warehouse>_quarantine.duckdb`) so that a failed quality gate never hides
        them."""
        with duckdb.get_connection() as conn:
            raw_tables.ensure(conn)
            files, rows = publish_quarantine(conn, raw_tables.ledgers, settings.quarantine_path)
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(settings.quarantine_path)),
                "files": files,
                "rows": rows,
            }
        )

    return quarantine_list
