"""A digest of every table a build leaves, to show that a change of code changed no figure.

Rows are compared as sets (order is not part of a table), over every column but those that record when
or by which code a file was read, or which bytes it had: two builds of the same files by the same logic
give the same digest, wherever and whenever they ran. `cchc digest` prints it; the digest test holds it
against a literal.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import duckdb

# when a file was read and by which reader version; the size and hash of its bytes and the archive path
# named after it (a workbook written by a program holds the time it was written: two demo builds differ)
VOLATILE = frozenset(
    {"ingested_at", "parser_version", "modified_ns", "content_hash", "file_size", "archived_path"}
)
# a plan or index file is received when it lands in raw/: for the bundled ones, when the checkout was made
VOLATILE_IN = {
    table: {"received_at"}
    for table in ("plan_documents", "index_files", "stg_plans__documents", "stg_indices__files")
}
# not data: the catalog, and the log of publications (a row more with each build)
NOT_DATA = ("information_schema", "pg_catalog", "pipeline")


def table_digests(database: Path, ignore: Collection[str] | None = None) -> dict[str, str]:
    """`schema.table` → md5 of its sorted rows, for every table and view, without the columns `ignore`
    names (by default the volatile ones; () keeps every column: the same build read again, where
    nothing may differ, not even a load time)."""
    digests = {}
    with duckdb.connect(str(database), read_only=True) as conn:
        # every table's columns in one query: one query per table took 0.7 of the 1.1 s of a digest of
        # the session's warehouse (150 tables and views)
        tables = conn.execute(
            "select schema_name, table_name, list(column_name order by column_index) "
            "from duckdb_columns() where database_name = current_database() "
            "and not list_contains(?, schema_name) group by all order by all",
            [list(NOT_DATA)],
        ).fetchall()
        for schema, table, names in tables:
            skipped = VOLATILE | VOLATILE_IN.get(table, set()) if ignore is None else ignore
            columns = [name for name in names if name not in skipped]
            values = ", ".join(f"coalesce(cast(\"{name}\" as varchar), '∅')" for name in columns)
            (digest,) = conn.execute(
                f"select md5(coalesce(string_agg(row, chr(10) order by row), '')) "
                f'from (select concat_ws(chr(31), {values}) as row from {schema}."{table}")'
            ).fetchone()
            digests[f"{schema}.{table}"] = digest
    return digests
