"""The one ledger of loaded files, kept in the warehouse beside the rows each file gave.

A source declares a `Ledger`: its raw schema, the files table (one row per file now in its landing
folder: content hash, reader version, status, archive path), the append-only versions table (every
content a file has had, never rewritten) and the row tables filled from each file. The warehouse file
and `raw/` are then the whole state: what is pending is what differs between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from pipelines import crashpoints
from pipelines.landing import tables
from pipelines.landing.files import (
    Kept,
    Packed,
    Received,
    Result,
    Seen,
    archive,
    archive_packed,
    landed_files,
)
from pipelines.settings import OWNERS

# the columns every files table starts with
FILE_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "parser_version": pl.String(),
    "ingested_at": pl.Datetime("us"),
    "archived_path": pl.String(),
    "status": pl.String(),
    "rejection_reason": pl.String(),
    "file_size": pl.Int64(),
    "modified_ns": pl.Int64(),
}


@dataclass(frozen=True)
class Entry:
    """What the ledger holds of one file: the content and reader it was loaded with, its partition, and
    where the archive keeps that content."""

    content_hash: str
    reader_version: str | None
    partition: str | None = None
    size: int | None = None  # as the file was when loaded: unchanged, it is not hashed again
    modified_ns: int | None = None
    archived_path: str | None = None

    def seen(self) -> Seen | None:
        if self.size is None or self.modified_ns is None:
            return None
        return Seen(self.content_hash, self.size, self.modified_ns)

    def kept(self) -> Kept | None:
        """Where the archive keeps the content loaded (not archived again when read again)."""
        return None if self.archived_path is None else Kept(self.content_hash, self.archived_path)


@dataclass(frozen=True)
class Landed:
    """A file as received: its path in the landing folder, the content hash of the bytes archived, where
    they are (`archived_path` relative to the warehouse folder, as stored), what the readers read (`file`:
    the archived copy, or the bytes as received when they were packed), the size and modification time
    it had, and the version of the reader that reads it now."""

    source_file: str
    content_hash: str
    archived_path: str
    file: Path | Received
    reader_version: str
    size: int
    modified_ns: int


def land(directory: Path, source_file: str, archive_dir: Path, reader_version: str) -> Landed:
    """Archive a file of `directory` under the content hash of its bytes; read the copy it returns."""
    kept = archive(directory / source_file, archive_dir)
    return Landed(
        source_file,
        kept.content_hash,
        str(kept.relative_path),
        kept.file,
        reader_version,
        kept.size,
        kept.modified_ns,
    )


def land_packed(
    directory: Path,
    files: Sequence[tuple[str, Kept | None]],
    archive_dir: Path,
    reader_version: str,
    read: Callable[[Landed], Result],
) -> list[Result]:
    """Archive files of `directory` in one pack (each with where the archive keeps the content the
    ledger has for it, if any: not packed again) and `read` each as landed (the bytes packed, one file's
    in memory at a time); the results in order, once the pack is in place."""

    def landed(file: Packed) -> Result:
        return read(
            Landed(
                file.source_file,
                file.content_hash,
                file.relative_path,
                file.received,
                reader_version,
                file.size,
                file.modified_ns,
            )
        )

    return archive_packed(directory, files, archive_dir, landed)


@dataclass(frozen=True, eq=False)
class Rows:
    """A file's rows in one row table: `length` rows of `frame` from `offset`. A frame may hold other
    files' rows too: a worker's batch is one frame a table for all its files, pickled once (and written
    whole when all its files are written together). Its columns are the table's, of the table's types
    (one left out is null), less the file's name and content hash, which the ledger stamps."""

    frame: pl.DataFrame
    offset: int
    length: int

    @classmethod
    def of(cls, frame: pl.DataFrame) -> Rows:
        return cls(frame, 0, frame.height)


# what loading one file gives: its files-table record, and its rows in each row table
Load = tuple[Mapping[str, object], Mapping[str, Rows]]

_STAMPS = ("source_file", "content_hash")


def _conformed(frame: pl.DataFrame, columns: tables.Columns, table: str) -> pl.DataFrame:
    """`frame` as exactly `columns` (a column it lacks, or holds only nulls of no type, is null), the
    stamps left for later; a column of another type is a reader's bug, refused rather than converted
    (1.5 would become 1 in an integer column)."""
    selected = []
    for name, dtype in columns.items():
        if name in _STAMPS:
            continue
        given = frame.schema.get(name)
        if given is not None and given != dtype and given != pl.Null:
            raise ValueError(f"{table}.{name}: {given} given for a column of {dtype}")
        selected.append(
            pl.col(name).cast(dtype) if given is not None else pl.lit(None, dtype=dtype).alias(name)
        )
    return frame.select(selected)


def _table_rows(loads: Sequence[Load], table: str, columns: tables.Columns) -> pl.DataFrame:
    """The rows of `table` from every load, as a frame of exactly `columns`, each row stamped with its
    file's name and content hash: a frame whose rows all belong to the loads is taken whole, else the
    loads' slices of it."""
    frames: dict[int, tuple[pl.DataFrame, list[tuple[int, int, Mapping[str, object]]]]] = {}
    for record, by_table in loads:
        rows = by_table.get(table)
        if rows is None or not rows.length:
            continue
        if rows.offset < 0 or rows.length < 0 or rows.offset + rows.length > rows.frame.height:  # a bug
            raise ValueError(
                f"{record['source_file']}: rows {rows.offset} to {rows.offset + rows.length} of {table} "
                f"beyond its frame of {rows.frame.height}"
            )
        frames.setdefault(id(rows.frame), (rows.frame, []))[1].append((rows.offset, rows.length, record))
    pieces: list[pl.DataFrame] = []
    stamps: dict[str, list[object]] = {name: [] for name in _STAMPS if name in columns}
    for frame, spans in frames.values():
        spans.sort(key=lambda span: span[0])
        end = 0
        for offset, length, record in spans:
            if offset < end:  # two files' rows overlap: rows would go to the wrong file
                raise ValueError(f"{record['source_file']}: rows of {table} shared with another file")
            end = offset + length
            for name, column in stamps.items():
                column += [record[name]] * length
        whole = end == frame.height and sum(length for _, length, _ in spans) == frame.height
        conformed = _conformed(frame, columns, table)
        pieces += [conformed] if whole else [conformed.slice(offset, length) for offset, length, _ in spans]
    if not pieces:
        return pl.DataFrame(schema=columns)
    rows = pl.concat(pieces)
    stamped = rows.with_columns(
        pl.Series(name, values, dtype=columns[name]) for name, values in stamps.items()
    )
    return stamped.select(list(columns))


@dataclass(frozen=True)
class Pending:
    """Files to read (new, changed, or read by an older reader: file → content hash) and files loaded
    before and since removed from the landing folder."""

    changed: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)


# what a version row keeps of the file row, beyond source_file and content_hash
VERSION_COLUMNS = ("ingested_at", "archived_path", "status", "rejection_reason")


@dataclass(frozen=True)
class Ledger:
    """One source's raw tables: `raw_<group>.<files_table>` (the ledger), its versions table
    (`plan_documents` → `plan_document_versions`) and the tables of rows read from each file."""

    schema: str
    files_table: str
    file_columns: tables.Columns  # beyond FILE_COLUMNS
    row_tables: Mapping[str, tables.Columns]
    versioned_columns: tuple[str, ...] = ()  # file columns the versions table keeps beyond VERSION_COLUMNS
    partition_column: str | None = None  # a files-table column the file's partition is read from

    @property
    def group(self) -> str:
        """The Dagster asset group of the source: `raw_plans` → `plans`."""
        return self.schema.removeprefix("raw_")

    @property
    def versions_table(self) -> str:
        return f"{self.files_table.removesuffix('s')}_versions"

    @property
    def columns(self) -> tables.Columns:
        return {**FILE_COLUMNS, **self.file_columns}

    @property
    def tables(self) -> dict[str, tables.Columns]:
        columns = self.columns
        versions = ("source_file", "content_hash", *VERSION_COLUMNS, *self.versioned_columns)
        return {
            self.files_table: columns,
            self.versions_table: {name: columns[name] for name in versions},
            **self.row_tables,
        }

    def key(self, table: str) -> dg.AssetKey:
        """The asset key of a raw table: its schema and name, apart from the mart of the same name."""
        return dg.AssetKey([self.schema, table])

    def spec(self, table: str, description: str, *deps: str) -> dg.AssetSpec:
        return dg.AssetSpec(
            self.key(table),
            description=description,
            group_name=self.group,
            owners=OWNERS,
            deps=[self.key(dep) for dep in deps],
        )

    def ensure(self, conn: duckdb.DuckDBPyConnection) -> None:
        """Create the schema and tables if absent, so dbt's sources exist before any file arrives."""
        tables.ensure_tables(conn, self.schema, self.tables)

    def file_record(
        self, landed: Landed, *, status: str, rejection_reason: str | None, **columns: object
    ) -> dict[str, object]:
        """The files-table row of one file as read now: the ledger's columns, and the source's own."""
        return {
            **dict.fromkeys(self.columns),
            "source_file": landed.source_file,
            "content_hash": landed.content_hash,
            "parser_version": landed.reader_version,
            "ingested_at": datetime.now(UTC).replace(tzinfo=None),
            "archived_path": landed.archived_path,
            "status": status,
            "rejection_reason": rejection_reason,
            "file_size": landed.size,
            "modified_ns": landed.modified_ns,
            **columns,
        }

    def file_frame(
        self, landed: Landed, *, status: str, rejection_reason: str | None, **columns: object
    ) -> pl.DataFrame:
        return tables.frame(
            [self.file_record(landed, status=status, rejection_reason=rejection_reason, **columns)],
            self.columns,
        )

    def _has_files_table(self, conn: duckdb.DuckDBPyConnection) -> bool:
        (exists,) = conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [self.schema, self.files_table],
        ).fetchone()
        return bool(exists)

    def current(
        self, conn: duckdb.DuckDBPyConnection, names: Sequence[str] | None = None
    ) -> dict[str, Entry]:
        """Source file → entry, for every file the files table holds now (or those of them `names` lists;
        empty before the first load)."""
        if not self._has_files_table(conn):
            return {}
        present = {
            name
            for (name,) in conn.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ?",
                [self.schema, self.files_table],
            ).fetchall()
        }
        # a warehouse (or published copy) written before a column was declared has none of it
        wanted = [self.partition_column or "", "file_size", "modified_ns", "archived_path"]
        selected = ", ".join(column if column in present else "null" for column in wanted)
        query = (
            f"select source_file, content_hash, parser_version, {selected} "
            f"from {self.schema}.{self.files_table}"
        )
        if names is None:
            rows = conn.execute(query).fetchall()
        else:
            rows = conn.execute(f"{query} where list_contains(?, source_file)", [list(names)]).fetchall()
        return {row[0]: Entry(*row[1:]) for row in rows}

    def signature(self, conn: duckdb.DuckDBPyConnection) -> str:
        """What changes whenever a file is loaded, read again or forgotten: the files now, the versions
        kept and the last load ('' before the tables exist)."""
        if not self._has_files_table(conn):
            return ""
        files, last = conn.execute(
            f"select count(*), max(ingested_at) from {self.schema}.{self.files_table}"
        ).fetchone()
        (versions,) = conn.execute(f"select count(*) from {self.schema}.{self.versions_table}").fetchone()
        return f"{files}:{versions}:{last}"

    def read_current(self, database: Path) -> dict[str, Entry]:
        """The ledger as a reader sees it in a warehouse file (the published copy for a sensor)."""
        (current,) = read_ledgers(database, [self])
        return current

    def write(
        self, conn: duckdb.DuckDBPyConnection, file_row: pl.DataFrame, rows: Mapping[str, pl.DataFrame]
    ) -> None:
        """Replace one file's rows in every table and record its version, in one transaction."""
        self.write_many(
            conn, [(file_row.row(0, named=True), {table: Rows.of(frame) for table, frame in rows.items()})]
        )

    def write_many(self, conn: duckdb.DuckDBPyConnection, loads: Sequence[Load]) -> None:
        """Replace the rows of each loaded file (its files-table record, and its rows in each row table)
        in every table and record their versions, in one transaction with one delete and one insert per
        table: loading files twice leaves the tables as loading them once. Rows are stamped with their
        file's name and content hash here, so a source builds them from what it read alone."""
        if not loads:
            return
        file_rows = tables.frame([record for record, _ in loads], self.columns)
        batches = {table: _table_rows(loads, table, columns) for table, columns in self.row_tables.items()}
        versions = self.tables[self.versions_table]
        conn.execute("begin transaction")
        try:
            conn.register("loaded_files", file_rows.select("source_file").to_arrow())
            for table, frame in {self.files_table: file_rows, **batches}.items():
                tables.replace_files_rows(conn, f"{self.schema}.{table}", frame, "loaded_files")
            tables.append(
                conn,
                f"{self.schema}.{self.versions_table}",
                file_rows.select(list(versions)),
                unless_seen=(
                    "seen.source_file = incoming.source_file and seen.content_hash = incoming.content_hash"
                ),
            )
            crashpoints.reached(crashpoints.INGESTION)
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
        finally:
            conn.unregister("loaded_files")

    def forget(self, conn: duckdb.DuckDBPyConnection, removed: Iterable[str]) -> None:
        """Drop the current rows of files no longer in the landing folder (versions and archive stay)."""
        removed = sorted(removed)
        if not removed:
            return
        conn.execute("begin transaction")
        try:
            for table in (self.files_table, *self.row_tables):
                conn.execute(
                    f"delete from {self.schema}.{table} where list_contains(?, source_file)", [removed]
                )
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise


def read_ledgers(database: Path, ledgers: Sequence[Ledger]) -> list[dict[str, Entry]]:
    """Each ledger as it stands in a warehouse file, all read on one connection (opening the national
    warehouse costs 40 ms each time); empty ones before the file exists."""
    if not database.exists():
        return [{} for _ in ledgers]
    with duckdb.connect(str(database), read_only=True) as conn:
        return [ledger.current(conn) for ledger in ledgers]


def pending(directory: Path, current: Mapping[str, Entry], reader_version: str) -> Pending:
    """What differs between a landing folder and the ledger: files to read, and files to forget."""
    known = {name: seen for name, entry in current.items() if (seen := entry.seen()) is not None}
    unlisted: list[str] = []
    present = landed_files(directory, known, unlisted)
    changed = {
        name: seen.content_hash
        for name, seen in present.items()
        if (entry := current.get(name)) is None
        or (entry.content_hash, entry.reader_version) != (seen.content_hash, reader_version)
    }
    # a file in a folder that could not be listed is not removed: its rows stay until it can be
    gone = (name for name in set(current) - set(present) if not name.startswith(tuple(unlisted)))
    return Pending(changed=changed, removed=sorted(gone))


@dataclass(frozen=True)
class RawTables:
    """Every source's ledger, handed to the dbt assets (as a resource) so that dbt's sources exist."""

    ledgers: tuple[Ledger, ...]

    def ensure(self, conn: duckdb.DuckDBPyConnection) -> None:
        for ledger in self.ledgers:
            ledger.ensure(conn)
