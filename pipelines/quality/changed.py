"""The files read since the last publication, for the suites that validate only their rows
(`changed_rows`): a new report into a national warehouse checks its 61 rows, not 2.6 million.

The ledger in the warehouse is compared with the ledger in the published copy (the last build that
passed): a file whose (source_file, ingested_at) the copy does not hold is new or was read again. A
build that failed its checks published nothing, so its files are checked again by the next one. Every
row is checked when there is no publication yet, when it predates the ledger, or when another project
version made it (a suite, a model or the code that reads and builds changed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.quality.suites import Suite
from pipelines.warehouse.builds import needs_full_build

if TYPE_CHECKING:
    import pyarrow as pa

CHANGED_FILES = "changed_files"  # the relation run_suite reads, on the warehouse connection


def _published_files(published: Path, files: str) -> pa.Table | None:
    """The ledger of the published copy, or None when the copy has none."""
    schema, name = files.split(".")
    with duckdb.connect(str(published), read_only=True) as conn:
        ((exists,),) = conn.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [schema, name]
        ).fetchall()
        return conn.sql(f"select source_file, ingested_at from {files}").to_arrow_table() if exists else None


@contextmanager
def changed_files(conn: duckdb.DuckDBPyConnection, published: Path, suite: Suite) -> Iterator[str | None]:
    """The name of a relation on `conn` holding the files of `suite`'s ledger read since the last
    publication, for as long as the block runs; None when the suite validates every row."""
    if suite.changed_rows is None or needs_full_build(published):
        yield None
        return
    before = _published_files(published, suite.changed_rows.files)
    if before is None:
        yield None
        return
    conn.register("published_files", before)
    try:
        changed = conn.sql(
            f"select source_file from {suite.changed_rows.files} "
            "anti join published_files using (source_file, ingested_at)"
        ).to_arrow_table()
    finally:
        conn.unregister("published_files")
    conn.register(CHANGED_FILES, changed)
    try:
        yield CHANGED_FILES
    finally:
        conn.unregister(CHANGED_FILES)
