"""A plain-text summary of what a build left in the warehouse."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb


def describe_tables(database: Path, schema: str = "main") -> str:
    """Every table of `schema` with its row count, three to a line (a build's summary fits on one screen),
    read from a read-only connection."""
    with duckdb.connect(str(database), read_only=True) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                [schema],
            ).fetchall()
        ]
        width = max((len(name) for name in names), default=0)
        cells = [
            f"{name:<{width}} {conn.execute(f'select count(*) from {schema}.{name}').fetchone()[0]:>7}"
            for name in names
        ]
    height = (len(cells) + 2) // 3
    columns = [cells[start : start + height] for start in range(0, len(cells), height)] if cells else []
    rows = [
        "  " + "   ".join(column[line] for column in columns if line < len(column)) for line in range(height)
    ]
    return "\n".join([f"Tables in {database.name} (schema {schema}), rows:", *rows])


@dataclass(frozen=True)
class FilesOf:
    """A source as the summary names it: its name in the quarantine list, its title, and the mart that
    says of each of its files whether it counted (table, status column)."""

    source: str
    title: str
    mart: str
    status_column: str


def describe_rejections(quarantine: Path, published: Path, sources: Sequence[FilesOf]) -> str:
    """The raw files and rows not loaded, with the reason recorded for the person who sent them (from the
    quarantine list), and the files recorded as copies of another or superseded (from each source's mart
    in the published copy)."""
    lines: list[str] = []
    if quarantine.exists():
        with duckdb.connect(str(quarantine), read_only=True) as conn:
            files = conn.execute("select source, source_file, reason from quarantined_files").fetchall()
            rows = conn.execute(
                "select source, source_file, count(*) from quarantined_rows group by all order by all"
            ).fetchall()
        for source in sources:
            rejected = [(name, reason) for kind, name, reason in files if kind == source.source]
            if rejected:
                lines += [f"{source.title} rejected ({quarantine.name}, quarantined_files):"]
                lines += [f"  {name}: {reason}" for name, reason in rejected]
        if rows:
            lines += [f"Rows rejected ({quarantine.name}, quarantined_rows, with cell and reason):"]
            lines += [f"  {name}: {count} row(s)" for _, name, count in rows]
    if published.exists() and sources:
        with duckdb.connect(str(published), read_only=True) as conn:
            not_counted = conn.execute(
                " union all ".join(
                    f"select source_file, {source.status_column} from main.{source.mart}"
                    f" where {source.status_column} in ('duplicate', 'superseded')"
                    for source in sources
                )
                + " order by 1"
            ).fetchall()
        if not_counted:
            lines += [
                "Files recorded but not counted (a copy of another file, or superseded by a later one):"
            ]
            lines += [f"  {name}: {status}" for name, status in not_counted]
    titles = [source.title.lower() for source in sources]
    everything = " and ".join([", ".join(titles[:-1]), titles[-1]] if len(titles) > 1 else titles)
    return "\n".join(lines) or f"All {everything} loaded."
