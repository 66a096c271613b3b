"""Parquet files of what BI tools read, for tools that prefer files to a database: every view of
schema `bi` and every mart of schema `main`, written from the published copy after each publication.

`warehouse/parquet/<schema>/<table>.parquet`, except the report rows (`main.report_indicator_values`,
2.6 M rows nationally), which are a folder of one file per period,
`main/report_indicator_values/period_key=<period>/data.parquet` (hive style: DuckDB, Polars, pyarrow and
Spark read the folder as one table; the column is in the files too; with no rows, the folder holds one
empty file, in the folder hive names a NULL period's). A file is written only when its rows
changed: each carries in its Parquet metadata (`cchc_rows_digest`) a digest of what it was written from
(the DuckDB release and the query that wrote it, the columns with their types, the count of rows and a
sum of DuckDB's hashes of them), and a file whose digest is that of its rows now is left alone, so a new
report rewrites its period's file and the few tables it changed rather than every one. A row's hash
does not tell 0.0 from -0.0; nested values (lists, structs, maps), whose hashes do not tell [[1],[2]]
from [[1,2]] or NULL from [], are hashed as their text. Each file is replaced atomically (written
beside, under a name of the writing process, then renamed; what a killed run left is removed by the next
`cchc run`); files of tables and periods that no longer exist are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.settings import OWNERS, Settings
from pipelines.warehouse.dbt_assets import WAREHOUSE_GROUP
from pipelines.warehouse.publish import published_warehouse

EXPORTED_SCHEMAS = ("bi", "main")
# tables written as a folder of one file per value of a column
PARTITIONS = {"main.report_indicator_values": "period_key"}
PARTITION_FILE = "data.parquet"
# the folder of a partition whose value is NULL, as hive-style readers name it
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
DIGEST_KEY = "cchc_rows_digest"
_COPY_OPTIONS = "format parquet"
# the types whose DuckDB hash misses differences (see above): rows of a table with one are hashed as text
_NESTED_TYPE = re.compile(r"\[|\b(STRUCT|MAP|UNION)\(")
# a partition value is a folder name as it stands: no quoting that some reader would not undo
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class ParquetExport:
    rows: dict[str, int]  # '<schema>.<table>' → its rows
    written: list[str]  # the files written this time, relative to the folder, the others being current


@dataclass(frozen=True)
class _File:
    path: Path
    query: str
    rows: int
    digest: str


def write_parquet(database: Path, directory: Path) -> ParquetExport:
    """Every table and view of the exported schemas of `database` as Parquet under `directory`, each file
    written only when its rows differ from those it was written from."""
    rows: dict[str, int] = {}
    written: list[str] = []
    files: list[_File] = []
    with duckdb.connect(str(database), read_only=True) as conn:
        for (schema, table), columns in _columns(conn).items():
            parts = _files(conn, directory, schema, table, columns)
            rows[f"{schema}.{table}"] = sum(part.rows for part in parts)
            files += parts
        for file in files:
            if _stored_digest(conn, file.path) != file.digest:
                _write(conn, file)
                written.append(file.path.relative_to(directory).as_posix())
    _remove_stale(directory, {file.path for file in files})
    return ParquetExport(rows=rows, written=written)


def _columns(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(schema, table) → its columns and their types, in order, of every exported table and view."""
    described = conn.execute(
        "select table_schema, table_name, string_agg(column_name || ' ' || data_type, ', '"
        "   order by ordinal_position)"
        " from information_schema.columns"
        " where table_catalog = current_database() and list_contains(?, table_schema)"
        " group by all order by all",
        [list(EXPORTED_SCHEMAS)],
    ).fetchall()
    return {(schema, table): columns for schema, table, columns in described}


def _files(
    conn: duckdb.DuckDBPyConnection, directory: Path, schema: str, table: str, columns: str
) -> list[_File]:
    """The files a table is written as, each with its query, rows and digest."""
    relation = f'"{schema}"."{table}"'
    # the text for what nested values' hashes miss, the value for a union's member (its text drops it)
    row = "cchc_row::varchar, cchc_row" if _NESTED_TYPE.search(columns) else "cchc_row"
    column = PARTITIONS.get(f"{schema}.{table}")
    if column is None:
        ((count, total),) = conn.execute(
            f"select count(*), coalesce(sum(hash({row})), 0) from {relation} as cchc_row"
        ).fetchall()
        query = f"select * from {relation}"
        path = directory / schema / f"{table}.parquet"
        return [_File(path, query, count, _digest(query, columns, count, total))]
    parts = conn.execute(
        f'select "{column}"::varchar, count(*), sum(hash({row})) from {relation} as cchc_row'
        " group by all order by all"
    ).fetchall()
    files = []
    # no rows: an empty file all the same, so that the folder reads as the table, with its columns
    for value, count, total in parts or [(None, 0, 0)]:
        if value is not None and not _PLAIN_VALUE.fullmatch(value):
            raise ValueError(f"{schema}.{table}.{column} = {value!r} cannot name a Parquet folder")
        where = f'"{column}" is null' if value is None else f"\"{column}\"::varchar = '{value}'"
        folder = directory / schema / table / f"{column}={NULL_PARTITION if value is None else value}"
        query = f"select * from {relation} where {where}"
        files.append(_File(folder / PARTITION_FILE, query, count, _digest(query, columns, count, total)))
    return files


def _digest(query: str, columns: str, count: int, total: int) -> str:
    """What a file was written from: the writer and its query, the columns (a sum of the rows' hashes
    misses a renaming or a type change, hash(1::INTEGER) being hash(1::BIGINT)), the rows."""
    writer = f"duckdb {duckdb.__version__} {_COPY_OPTIONS} {query} {columns}"
    return f"{hashlib.sha256(writer.encode()).hexdigest()[:16]}:{count}:{total}"


def _stored_digest(conn: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """The digest a file was written with; None when there is no such file or it cannot be read."""
    if not path.is_file():
        return None
    try:
        stored = conn.execute(
            "select value::varchar from parquet_kv_metadata(?) where key::varchar = ?",
            [str(path), DIGEST_KEY],
        ).fetchall()
    except duckdb.Error:
        return None
    return stored[0][0] if stored else None


def _write(conn: duckdb.DuckDBPyConnection, file: _File) -> None:
    file.path.parent.mkdir(parents=True, exist_ok=True)
    staging = file.path.with_name(f".{file.path.name}.{os.getpid()}.tmp")
    metadata = f"kv_metadata {{{DIGEST_KEY}: '{file.digest}'}}"
    try:
        conn.execute(f"copy ({file.query}) to '{staging}' ({_COPY_OPTIONS}, {metadata})")
        os.replace(staging, file.path)
    finally:
        staging.unlink(missing_ok=True)


def _remove_stale(directory: Path, current: set[Path]) -> None:
    """Remove the files of tables and partitions that are gone, and the folders left empty."""
    for schema in EXPORTED_SCHEMAS:
        for path in (directory / schema).rglob("*.parquet"):
            if path not in current:
                path.unlink(missing_ok=True)  # another run's export may have removed it
        for folder in sorted((directory / schema).rglob("*"), reverse=True):  # the deepest first
            if folder.is_dir() and not any(folder.iterdir()):
                with contextlib.suppress(OSError):  # another run's export writing into it meanwhile
                    folder.rmdir()


@dg.asset(deps=[published_warehouse], group_name=WAREHOUSE_GROUP, owners=OWNERS)
def parquet_files(settings: Settings) -> dg.MaterializeResult:
    """The `bi` views and the marts as Parquet files (warehouse/parquet/), from the published copy: it
    reads no writer's file, so it needs no writer slot. Only files whose rows changed are written."""
    export = write_parquet(settings.published_path, settings.parquet_dir)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.parquet_dir)),
            "tables": len(export.rows),
            "rows": sum(export.rows.values()),
            "files_written": len(export.written),
        }
    )
