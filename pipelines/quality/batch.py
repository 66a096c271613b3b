"""The rows a suite validates, read from the warehouse without Great Expectations: the build's process
reads them (it holds the warehouse), the quality worker validates them (quality.worker).

The batch is the suite's columns of the table the next asset reads, or for a suite with `changed_rows`
the rows of the files it has not passed yet, written by DuckDB to a Parquet file that the worker reads
back into pandas, typed as DuckDB types a query's result (the same frame as `.df()` on the query: tested).
A file, not the rows pickled to the worker: the first national build validates 2.6 million report rows,
which would otherwise sit in both processes at once. The row count, an aggregate, is taken on the whole
table, to be held against the same table in the last published copy: the previous good build.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.quality.suites import Suite

if TYPE_CHECKING:  # pandas is the worker's: the processes that load the definitions do not import it
    import pandas as pd


@dataclass(frozen=True)
class Batch:
    rows: Path  # Parquet: the suite's columns of the rows to validate
    row_count: int  # of the whole table
    to_validate: int  # rows the suite must see: all, or those of the files changed since

    def frame(self) -> pd.DataFrame:
        with duckdb.connect() as conn:
            return conn.sql("select * from read_parquet(?)", params=[str(self.rows)]).df()


@contextmanager
def batch_file(warehouse_dir: Path, suite: Suite) -> Iterator[Path]:
    """Where a run writes a batch for the worker: beside the warehouse, removed after the validation;
    one that a killed run left is removed by the next `cchc run` (`.*.tmp`, recovery.remove_leftovers)."""
    path = warehouse_dir / f".quality-{suite.name}-{os.getpid()}.parquet.tmp"
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def write_batch(
    conn: duckdb.DuckDBPyConnection, suite: Suite, into: Path, changed_files: str | None = None
) -> Batch:
    """`suite`'s rows of its table, written to the Parquet file `into`: all of them, or for a suite with
    `changed_rows` those of the files in the relation `changed_files` (a name on `conn`, see
    quality.changed)."""
    target = str(into).replace("'", "''")
    conn.execute(f"copy ({suite.rows_of(suite.column_query, changed_files)}) to '{target}' (format parquet)")
    (count,) = conn.sql(f"select count(*) from {suite.table}").fetchall()[0]
    sliced = suite.rows_of(f"select * from {suite.table}", changed_files)
    (to_validate,) = conn.sql(f"select count(*) from ({sliced})").fetchall()[0] if changed_files else (count,)
    return Batch(into, count, to_validate)


def previous_row_count(published_path: Path, table: str) -> int | None:
    """Rows of `table` in the last published copy; None before the first publication."""
    if not published_path.exists():
        return None
    with duckdb.connect(str(published_path), read_only=True) as conn:
        schema, name = table.split(".")
        found = conn.sql(
            "select count(*) from duckdb_tables() where schema_name = $s and table_name = $n "
            "union all select count(*) from duckdb_views() where schema_name = $s and view_name = $n",
            params={"s": schema, "n": name},
        ).fetchall()
        if not any(count for (count,) in found):
            return None
        return conn.sql(f"select count(*) from {table}").fetchall()[0][0]
