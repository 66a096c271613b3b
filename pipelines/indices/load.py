"""Index tables in the warehouse's `raw_indices` schema, one source file at a time.

`index_files` holds one row per file now in raw/indices (loaded or rejected, with warnings and the
row labels that named no province); `index_scores` the figures of the loaded ones;
`index_file_versions` every content a file has had, appended and never rewritten.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import polars as pl

from pipelines.indices.scores import IndexReading
from pipelines.warehouse import tables

SCHEMA = "raw_indices"

FILE_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "parser_version": pl.String(),
    "ingested_at": pl.Datetime("us"),
    "archived_path": pl.String(),
    "status": pl.String(),
    "rejection_reason": pl.String(),
    "index_codes": pl.String(),
    "first_year": pl.Int32(),
    "last_year": pl.Int32(),
    "score_count": pl.Int32(),
    "warnings": pl.String(),
    "unresolved_labels": pl.String(),
}
VERSION_COLUMNS = (
    "source_file",
    "content_hash",
    "ingested_at",
    "archived_path",
    "status",
    "rejection_reason",
)
SCORE_COLUMNS: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "index_code": pl.String(),
    "year": pl.Int32(),
    "component_code": pl.String(),
    "province_code": pl.String(),
    "scope": pl.String(),
    "place_label": pl.String(),
    "score": pl.Float64(),
    "published_rank": pl.Int32(),
    "source_sheet": pl.String(),
    "source_cell": pl.String(),
    "note": pl.String(),
    "published_in": pl.String(),
}
TABLES: dict[str, tables.Columns] = {
    "index_files": FILE_COLUMNS,
    "index_file_versions": {name: FILE_COLUMNS[name] for name in VERSION_COLUMNS},
    "index_scores": SCORE_COLUMNS,
}


def ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    tables.ensure_tables(conn, SCHEMA, TABLES)


def file_frame(
    source_file: str,
    content_hash: str,
    parser_version: str,
    archived_path: str,
    *,
    reading: IndexReading | None,
    rejection_reason: str | None,
) -> pl.DataFrame:
    row: dict = dict.fromkeys(FILE_COLUMNS)
    row.update(
        source_file=source_file,
        content_hash=content_hash,
        parser_version=parser_version,
        ingested_at=datetime.now(UTC).replace(tzinfo=None),
        archived_path=archived_path,
        status="loaded" if reading else "rejected",
        rejection_reason=rejection_reason,
    )
    if reading is not None:
        row.update(
            index_codes=", ".join(reading.index_codes),
            first_year=min(reading.years),
            last_year=max(reading.years),
            score_count=len(reading.scores),
            warnings="\n".join(reading.warnings) or None,
            unresolved_labels="\n".join(f"{u.sheet}!{u.cell}: {u.label}" for u in reading.unresolved) or None,
        )
    return tables.frame([row], FILE_COLUMNS)


def score_frame(reading: IndexReading | None, source_file: str, content_hash: str) -> pl.DataFrame:
    rows = [
        {
            "source_file": source_file,
            "content_hash": content_hash,
            "index_code": s.index_code,
            "year": s.year,
            "component_code": s.component_code,
            "province_code": s.province_code,
            "scope": s.scope,
            "place_label": s.label,
            "score": s.score,
            "published_rank": s.rank,
            "source_sheet": s.sheet,
            "source_cell": s.cell,
            "note": s.note,
            "published_in": s.source,
        }
        for s in (reading.scores if reading else ())
    ]
    return tables.frame(rows, SCORE_COLUMNS)


def loaded_versions(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """Source file → (content hash, parser version) of what `index_files` holds now."""
    rows = conn.execute(
        f"select source_file, content_hash, parser_version from {SCHEMA}.index_files"
    ).fetchall()
    return {source_file: (digest, version) for source_file, digest, version in rows}


def replace_file(conn: duckdb.DuckDBPyConnection, files: pl.DataFrame, scores: pl.DataFrame) -> None:
    """Replace one file's rows and record its version, in the caller's transaction."""
    source_file = files["source_file"][0]
    tables.replace_file_rows(conn, f"{SCHEMA}.index_files", files, source_file)
    tables.replace_file_rows(conn, f"{SCHEMA}.index_scores", scores, source_file)
    tables.append(
        conn,
        f"{SCHEMA}.index_file_versions",
        files.select(VERSION_COLUMNS),
        unless_seen="seen.source_file = incoming.source_file and seen.content_hash = incoming.content_hash",
    )


def forget_files(conn: duckdb.DuckDBPyConnection, present: set[str]) -> list[str]:
    """Drop current rows of files no longer in raw/indices (their versions and archive stay)."""
    gone = sorted(set(loaded_versions(conn)) - present)
    for source_file in gone:
        for table in ("index_files", "index_scores"):
            conn.execute(f"delete from {SCHEMA}.{table} where source_file = ?", [source_file])
    return gone
