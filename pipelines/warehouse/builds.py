"""What the last publication was built from, kept in the warehouse: so a run builds only what changed.

Each publication records the project version (dbt project, seeds, suites, and the code that builds and
checks) and a signature of every source's ledger (files, versions, last load). A later run compares:
a source whose signature moved has new, changed or removed files since the last publication, and
only what is downstream of it needs building; a new project version, or no publication yet, needs
everything. The record travels inside the published copy, so a run killed before its copy was in
place never counts as published, and a copied warehouse folder carries on where it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.landing.ledger import Ledger
from pipelines.landing.versions import code_files, digest_files
from pipelines.settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR, PACKAGE_DIR, seeds_dir

SCHEMA = "pipeline"
TABLE = f"{SCHEMA}.publications"
# the code a build runs: dbt runs the project, quality checks it, extracts are written from it (with
# every module these import)
_BUILD_MODULES = ("pipelines.warehouse", "pipelines.quality", "pipelines.extracts")


def project_version() -> str:
    """Digest of everything that shapes the built tables but the raw files."""
    files = [
        (f"dbt/{path.relative_to(DBT_PROJECT_DIR)}", path)
        for folder in ("models", "macros")
        for path in (DBT_PROJECT_DIR / folder).rglob("*")
        if path.is_file()
    ]
    files.append(("dbt/dbt_project.yml", DBT_PROJECT_DIR / "dbt_project.yml"))
    files += [(f"seeds/{path.name}", path) for path in seeds_dir().iterdir() if path.is_file()]
    files += [(f"expectations/{path.name}", path) for path in EXPECTATIONS_DIR.glob("*.json")]
    roots = [module for package in _BUILD_MODULES for module in _modules_of(package)]
    return digest_files(files + code_files(*sorted(roots)))


def _modules_of(package: str) -> list[str]:
    """Every module of a package and its sub-packages (their __init__ come with the imports)."""
    folder = PACKAGE_DIR.parent / Path(*package.split("."))
    return sorted(
        ".".join(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        for path in folder.rglob("*.py")
        if path.name != "__init__.py"
    )


@dataclass(frozen=True)
class Publication:
    project_version: str
    sources: dict[str, str]  # ledger group → signature


def record(conn: duckdb.DuckDBPyConnection, ledgers: tuple[Ledger, ...]) -> None:
    """Note, in the caller's warehouse, what the publication about to be made is built from."""
    conn.execute(f"create schema if not exists {SCHEMA}")
    conn.execute(
        f"create table if not exists {TABLE} (published_at timestamp, project_version varchar, sources json)"
    )
    sources = {ledger.group: ledger.signature(conn) for ledger in ledgers}
    conn.execute(
        f"insert into {TABLE} values (?, ?, ?)",
        [datetime.now(UTC).replace(tzinfo=None), project_version(), json.dumps(sources)],
    )


def last_publication(database: Path) -> Publication | None:
    """What the last publication of the warehouse file was built from; None before the first."""
    if not database.exists():
        return None
    with duckdb.connect(str(database), read_only=True) as conn:
        (exists,) = conn.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = 'publications'",
            [SCHEMA],
        ).fetchone()
        if not exists:
            return None
        row = conn.execute(
            f"select project_version, sources from {TABLE} order by published_at desc limit 1"
        ).fetchone()
    return Publication(row[0], json.loads(row[1])) if row else None


def needs_full_build(published: Path) -> bool:
    """Everything must be built, the incremental models whole: the warehouse was never published, or
    another project version published it (read from the published copy)."""
    return _builds_everything(last_publication(published))


def _builds_everything(last: Publication | None) -> bool:
    return last is None or last.project_version != project_version()


def changed_sources(warehouse: Path, published: Path, ledgers: tuple[Ledger, ...]) -> set[str] | None:
    """The ledger groups of the warehouse whose files changed since its last publication (read from the
    published copy, so a run killed before its copy was in place never counts as published), or None
    when everything must be built (no publication yet, or another project version built it)."""
    last = last_publication(published)
    if _builds_everything(last):
        return None
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        now = {ledger.group: ledger.signature(conn) for ledger in ledgers}
    return {group for group, signature in now.items() if last.sources.get(group) != signature}
