"""The files whose rows a suite has not yet passed, for the suites that validate only those
(`changed_rows`): a new report into a national warehouse checks its 61 rows, not 2.6 million.

A suite that passes notes, in the warehouse (`pipeline.validated_files`), the files it validated as the
ledger held them (source_file, ingested_at) and the project version that judged them. The next build
validates the rows of the ledger's files it does not find there: new, read again, or passed by another
version of the suites. Nothing noted (the first build, a full build, which forgets them, or a new
project version): every row. A suite that fails notes nothing, so its files are checked again.

The files noted are the ledger's at the time of the check, which are those of the rows validated because
the suite's table reads the raw rows as they are (a staging view) within the writer slot the check holds;
a suite with changed_rows on a table built earlier in the run would need the files as that build saw them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from pipelines.quality.suites import Suite
from pipelines.warehouse import builds
from pipelines.warehouse.builds import VALIDATED

CHANGED_FILES = "changed_files"  # the relation run_suite reads, on the warehouse connection


def _noted(conn: duckdb.DuckDBPyConnection, suite: Suite) -> bool:
    if not builds.table_exists(conn, VALIDATED):
        return False
    ((count,),) = conn.execute(
        f"select count(*) from {VALIDATED} where suite = ? and project_version = ?",
        [suite.name, builds.project_version()],
    ).fetchall()
    return count > 0


@contextmanager
def changed_files(conn: duckdb.DuckDBPyConnection, suite: Suite) -> Iterator[str | None]:
    """The name of a relation on `conn` holding the files of `suite`'s ledger it has not passed, for as
    long as the block runs; None when the suite validates every row."""
    if suite.changed_rows is None or not _noted(conn, suite):
        yield None
        return
    changed = conn.sql(
        f"select source_file from {suite.changed_rows.files} anti join ("
        f"  select source_file, ingested_at from {VALIDATED}"
        "   where suite = $suite and project_version = $version"
        ") using (source_file, ingested_at)",
        params={"suite": suite.name, "version": builds.project_version()},
    ).to_arrow_table()
    conn.register(CHANGED_FILES, changed)
    try:
        yield CHANGED_FILES
    finally:
        conn.unregister(CHANGED_FILES)


def note_validated(conn: duckdb.DuckDBPyConnection, suite: Suite, files: str | None) -> None:
    """`suite` passed the rows of `files` (a relation from changed_files; None: of every file): note
    them as the ledger holds them, for this project version only."""
    if suite.changed_rows is None:
        return
    builds.ensure(conn)
    ledger = suite.changed_rows.files
    passed = "true" if files is None else f"source_file in (select source_file from {files})"
    version = builds.project_version()
    # a file read again replaces its note; a file gone and another version's notes go
    gone = f"source_file not in (select source_file from {ledger})"
    conn.execute(
        f"delete from {VALIDATED} where suite = ? and (project_version <> ? or {passed} or {gone})",
        [suite.name, version],
    )
    conn.execute(
        f"insert into {VALIDATED} select ?, ?, source_file, ingested_at from {ledger} where {passed}",
        [suite.name, version],
    )
