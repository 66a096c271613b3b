"""A plain-text summary of what a build left in the warehouse."""

from pathlib import Path

import duckdb


def describe_tables(database: Path, schema: str = "main") -> str:
    """Every table of `schema` with its row count, two to a line, read from a read-only connection."""
    with duckdb.connect(str(database), read_only=True) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                [schema],
            ).fetchall()
        ]
        cells = [
            f"{name:<28} {conn.execute(f'select count(*) from {schema}.{name}').fetchone()[0]:>7}"
            for name in names
        ]
    half = (len(cells) + 1) // 2
    right = [*cells[half:], ""][:half]
    rows = [f"  {a}    {b}".rstrip() for a, b in zip(cells[:half], right, strict=True)]
    return "\n".join([f"Tables in {database.name} (schema {schema}), rows:", *rows])


def describe_rejections(database: Path) -> str:
    """The raw files a build could not load, with the reason recorded for the person who sent them."""
    queries = {
        "Plan documents rejected (kept in plan_documents with the reason):": (
            "select source_file, rejection_reason from main.plan_documents where not is_parsed order by 1"
        ),
        "Index files rejected (kept in index_files with the reason):": (
            "select source_file, rejection_reason from main.index_files where not is_loaded order by 1"
        ),
        "Report files quarantined (report_submissions, submission_status = 'rejected'):": (
            "select source_file, rejection_reason from main.report_submissions "
            "where submission_status = 'rejected' order by 1"
        ),
    }
    lines: list[str] = []
    with duckdb.connect(str(database), read_only=True) as conn:
        for title, query in queries.items():
            rows = conn.execute(query).fetchall()
            if rows:
                lines += [title] + [f"  {name}: {reason}" for name, reason in rows]
    return "\n".join(lines) or "All plan documents, index files and report files loaded."
