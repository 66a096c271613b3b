"""What the last publication was built from, kept in the warehouse: so a run builds only what changed.

Each publication records the project version (dbt project, seeds, suites, and the code that builds and
checks) and a signature of every source's ledger (files, versions, last load) as the last successful dbt
build found it when it started, for the sources whose models it all ran. A later run compares: a source
whose signature moved has new, changed or removed files since, and only what is downstream of it needs
building; a new project version, or no publication yet, needs everything. The record travels inside the
published copy, so a run killed before its copy was in place never counts as published, and a copied
warehouse folder carries on where it was.

The warehouse also notes which project version last rebuilt its incremental models whole and made its
views (a full build clears the note when it starts and writes it when it succeeded for every model, so
a rollback, or a full build killed, failed or run for part of the models, makes the next build full
again; a build that is not full leaves the views as they are, kept_views), and which files the suites
with changed_rows have passed (quality.changed), forgotten by a full build.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb

from pipelines.code_digest import digest_files
from pipelines.landing.ledger import Ledger
from pipelines.landing.versions import code_files
from pipelines.settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR, PACKAGE_DIR, seeds_dir

SCHEMA = "pipeline"
TABLE = f"{SCHEMA}.publications"
# what the last successful dbt build was built from, by source (end_build): what a publication records
# (a file ingested while the build ran is in the copy's ledger but in none of its tables)
BUILD_SOURCES = f"{SCHEMA}.build_sources"
# the project version that last rebuilt the incremental models whole and made the views (none while a
# full build runs)
INCREMENTAL = f"{SCHEMA}.incremental_models"
# the files whose rows a suite with changed_rows has passed, by project version (quality.changed)
VALIDATED = f"{SCHEMA}.validated_files"
# the code a build runs: dbt runs the project, quality checks it, extracts are written from it (with
# every module these import)
_BUILD_MODULES = ("pipelines.warehouse", "pipelines.quality", "pipelines.extracts")
_BUILD_RELEASES = ("dbt-core", "dbt-duckdb", "duckdb")


def project_version() -> str:
    """Digest of everything that shapes the built tables and views but the raw files."""
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
    code = digest_files(files + code_files(*sorted(roots)))
    # the releases that make the tables and views from that code: an upgrade builds them again
    releases = " ".join(f"{name}=={version(name)}" for name in _BUILD_RELEASES)
    return hashlib.sha256(f"{code} {releases}".encode()).hexdigest()[:16]


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


def ensure(conn: duckdb.DuckDBPyConnection) -> None:
    """The tables of what builds were made from, in the caller's warehouse."""
    conn.execute(f"create schema if not exists {SCHEMA}")
    conn.execute(
        f"create table if not exists {TABLE} (published_at timestamp, project_version varchar, sources json)"
    )
    conn.execute(f"create table if not exists {BUILD_SOURCES} (sources json)")
    conn.execute(f"create table if not exists {INCREMENTAL} (project_version varchar)")
    conn.execute(
        f"create table if not exists {VALIDATED} "
        "(suite varchar, project_version varchar, source_file varchar, ingested_at timestamp)"
    )


def _signatures(conn: duckdb.DuckDBPyConnection, ledgers: tuple[Ledger, ...]) -> dict[str, str]:
    return {ledger.group: ledger.signature(conn) for ledger in ledgers}


def begin_build(
    conn: duckdb.DuckDBPyConnection, ledgers: tuple[Ledger, ...], *, full: bool
) -> dict[str, str]:
    """At the start of a dbt build: the ledgers' signatures it builds from (end_build keeps them for the
    publication). A full build also forgets which version rebuilt the incremental models and which files
    the suites passed, until it has succeeded: one killed or failed half way is followed by another."""
    ensure(conn)
    if full:
        conn.execute(f"delete from {INCREMENTAL}")
        conn.execute(f"delete from {VALIDATED}")
    return _signatures(conn, ledgers)


def _downstream_models(manifest: dict[str, Any], source_name: str) -> set[str]:
    children = manifest["child_map"]
    found: set[str] = set()
    stack = [key for key, source in manifest["sources"].items() if source["source_name"] == source_name]
    while stack:
        for child in children.get(stack.pop(), []):
            if child.startswith("model.") and child not in found:
                found.add(child)
                stack.append(child)
    return found


def end_build(
    conn: duckdb.DuckDBPyConnection,
    ledgers: tuple[Ledger, ...],
    *,
    started: dict[str, str],
    manifest: dict[str, Any],
    built: set[str],
    published: Path,
    full: bool,
) -> None:
    """A dbt build succeeded, having run the models `built`. A source counts as built from the signature
    it had when the build started only when every model downstream of it ran; the others keep the one
    of the last publication, so the next run builds them (a build of the plans' models does not make a
    report ingested meanwhile look built). A full build that ran every model makes the incremental
    models this version's."""
    ensure(conn)
    last = last_publication(published)
    sources = dict(last.sources) if last else {}
    for ledger in ledgers:
        if _downstream_models(manifest, ledger.schema) <= built or ledger.group not in sources:
            sources[ledger.group] = started[ledger.group]
    conn.execute(f"delete from {BUILD_SOURCES}")
    conn.execute(f"insert into {BUILD_SOURCES} values (?)", [json.dumps(sources)])
    models = {key for key in manifest["nodes"] if key.startswith("model.")}
    if full and models <= built:
        conn.execute(f"delete from {INCREMENTAL}")
        conn.execute(f"insert into {INCREMENTAL} values (?)", [project_version()])


def incremental_models_current(conn: duckdb.DuckDBPyConnection) -> bool:
    """Were the incremental models last rebuilt whole, and the views made, by this project version (so
    that adding what changed gives what a full build would, and the views are those it would make)?
    Not after another version (a deploy or a rollback), nor while a full build is unfinished."""
    if not table_exists(conn, INCREMENTAL):
        return False
    found = conn.execute(f"select project_version from {INCREMENTAL}").fetchall()
    return found == [(project_version(),)]


def table_exists(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Does the connection's database hold `schema.table`?"""
    schema, name = table.split(".")
    ((count,),) = conn.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [schema, name]
    ).fetchall()
    return bool(count)


def record(conn: duckdb.DuckDBPyConnection, ledgers: tuple[Ledger, ...]) -> None:
    """Note, in the caller's warehouse, what the publication about to be made is built from: what the
    last successful dbt build noted (end_build), or the ledgers as they are now when none ran."""
    ensure(conn)
    captured = conn.execute(f"select sources from {BUILD_SOURCES}").fetchall()
    sources = captured[0][0] if captured else json.dumps(_signatures(conn, ledgers))
    conn.execute(
        f"insert into {TABLE} values (?, ?, ?)",
        [datetime.now(UTC).replace(tzinfo=None), project_version(), sources],
    )


def last_publication(database: Path) -> Publication | None:
    """What the last publication of the warehouse file was built from; None before the first."""
    if not database.exists():
        return None
    with duckdb.connect(str(database), read_only=True) as conn:
        if not table_exists(conn, TABLE):
            return None
        row = conn.execute(
            f"select project_version, sources from {TABLE} order by published_at desc limit 1"
        ).fetchone()
    return Publication(row[0], json.loads(row[1])) if row else None


def changed_sources(warehouse: Path, published: Path, ledgers: tuple[Ledger, ...]) -> set[str] | None:
    """The ledger groups of the warehouse whose files changed since its last publication (read from the
    published copy, so a run killed before its copy was in place never counts as published), or None
    when everything must be built (no publication yet, another project version published it, or the
    warehouse's incremental models are not this version's)."""
    last = last_publication(published)
    if last is None or last.project_version != project_version():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        if not incremental_models_current(conn):
            return None  # built by another version since (a rollback), or a full build unfinished
        now = _signatures(conn, ledgers)
    return {group for group, signature in now.items() if last.sources.get(group) != signature}
