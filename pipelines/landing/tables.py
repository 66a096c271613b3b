"""Raw tables written from Python: declared as polars schemas, created if absent, replaced per file."""

from __future__ import annotations

import duckdb
import polars as pl

Columns = dict[str, pl.DataType]

_SQL_TYPES = {
    pl.String(): "varchar",
    pl.Datetime("us"): "timestamp",
    pl.Date(): "date",
    pl.Int32(): "integer",
    pl.Int64(): "bigint",
    pl.Float64(): "double",
    pl.Boolean(): "boolean",
}


def ensure_tables(conn: duckdb.DuckDBPyConnection, schema: str, tables: dict[str, Columns]) -> None:
    """Create the schema and its tables if absent, so dbt's sources exist before any file arrives."""
    conn.execute(f"create schema if not exists {schema}")
    for table, columns in tables.items():
        ddl = ", ".join(f"{name} {_SQL_TYPES[dtype]}" for name, dtype in columns.items())
        conn.execute(f"create table if not exists {schema}.{table} ({ddl})")
        # a warehouse built before a column was declared gains it (empty for the files loaded then)
        for name, dtype in columns.items():
            conn.execute(f"alter table {schema}.{table} add column if not exists {name} {_SQL_TYPES[dtype]}")


def frame(rows: list[dict], columns: Columns) -> pl.DataFrame:
    """Records as a frame of exactly `columns` (keys beyond them are left out, missing ones are null)."""
    if not rows:
        return pl.DataFrame(schema=columns)
    return pl.from_dicts(rows, schema=columns)


def replace_files_rows(conn: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame, files: str) -> None:
    """Replace the rows of `table` (schema-qualified) of the source files listed in the registered
    relation `files` with `rows`, in the caller's transaction: loading files twice leaves the table as
    loading them once."""
    conn.execute(f"delete from {table} where source_file in (select source_file from {files})")
    append(conn, table, rows)


def append(conn: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame, *, unless_seen: str = "") -> None:
    """Insert `rows` into `table`; with `unless_seen` (a condition on `seen` and `incoming`), skip the
    rows the table already holds."""
    guard = f"where not exists (select 1 from {table} as seen where {unless_seen})" if unless_seen else ""
    conn.register("incoming", rows.to_arrow())
    try:
        conn.execute(f"insert into {table} by name select * from incoming {guard}")
    finally:
        conn.unregister("incoming")
