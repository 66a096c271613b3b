import os
from pathlib import Path

import msgpack

from pipelines.settings import (
    DBT_PROJECT_DIR,
    PROJECT_ROOT,
    RAW_ENV,
    SEEDS_DIR,
    WAREHOUSE_ENV,
    linked_seeds,
    load_settings,
)
from pipelines.warehouse.dbt_assets import KEPT_DBT_RUNS, dbt_target_path
from pipelines.warehouse.project import PARSE_MADE_HERE, PARTIAL_PARSE
from pipelines.warehouse.publish import publish_copy


def test_paths_come_from_the_environment_and_nothing_is_exported(monkeypatch, tmp_path):
    monkeypatch.setenv(WAREHOUSE_ENV, str(tmp_path / "x.duckdb"))
    monkeypatch.setenv(RAW_ENV, "elsewhere/raw")
    settings = load_settings()
    assert settings.warehouse_path == tmp_path / "x.duckdb"
    assert settings.published_path == tmp_path / "x_published.duckdb"
    assert settings.plans_dir == PROJECT_ROOT / "elsewhere" / "raw" / "plans"
    assert settings.archive_dir("reports") == tmp_path / "archive" / "reports"

    monkeypatch.delenv(WAREHOUSE_ENV)
    before = dict(os.environ)
    settings = load_settings()
    assert settings.warehouse_path == PROJECT_ROOT / "warehouse" / "cchc.duckdb"
    assert dict(os.environ) == before


def test_publish_replaces_the_copy_whole_and_leaves_no_temporary_file(tmp_path):
    source = tmp_path / "cchc.duckdb"
    target = tmp_path / "out" / "cchc_published.duckdb"
    source.write_bytes(b"first")
    publish_copy(source, target)
    source.write_bytes(b"second build")
    publish_copy(source, target)
    assert target.read_bytes() == b"second build"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_a_build_keeps_the_dbt_artifacts_of_the_last_few_builds_only(tmp_path):
    runs = tmp_path / "logs" / "dbt"
    for number in range(8):
        (runs / f"run-{number}").mkdir(parents=True)
        os.utime(runs / f"run-{number}", (1_000 + number, 1_000 + number))
    target = dbt_target_path(runs, "run-new", tmp_path / "none" / PARTIAL_PARSE)
    kept = sorted(path.name for path in runs.iterdir())
    assert kept == [f"run-{number}" for number in range(8 - (KEPT_DBT_RUNS - 1), 8)]
    assert target == runs / "run-new" and not target.exists()  # dbt creates it
    assert (
        dbt_target_path(tmp_path / "none", "first", tmp_path / PARTIAL_PARSE) == tmp_path / "none" / "first"
    )


def _parse(made_in: Path | str, name: str, *others: Path | str) -> bytes:
    """A saved parse as dbt writes it: msgpack, each node with the folder of the project it was made in."""
    nodes = {f"model.{number}": {"root_path": str(root)} for number, root in enumerate(others)}
    return msgpack.packb({"nodes": {"model.x": {"root_path": str(made_in), "name": name}, **nodes}})


def test_a_build_starts_from_the_last_build_s_parse_made_from_this_project(tmp_path):
    runs = tmp_path / "logs" / "dbt"
    parses = (
        _parse(DBT_PROJECT_DIR, "older"),
        _parse(DBT_PROJECT_DIR, "last"),
        # the newest made where the project was before it moved (a release folder since removed)
        _parse("/srv/cchc-release-1/dbt", "moved"),
        _parse(f"{DBT_PROJECT_DIR}-old", "a folder whose name starts as this one's"),
        # a build after the move that re-parsed one changed file: its nodes, the seeds' among them, from both
        _parse(DBT_PROJECT_DIR, "re-parsed in part", "/srv/cchc-release-1/dbt"),
    )
    for number, content in enumerate(parses):
        (runs / f"run-{number}").mkdir(parents=True)
        (runs / f"run-{number}" / PARTIAL_PARSE).write_bytes(content)
        os.utime(runs / f"run-{number}", (1_000 + number, 1_000 + number))
    prepared = tmp_path / "dbt" / "target" / PARTIAL_PARSE
    prepared.parent.mkdir(parents=True)
    prepared.write_bytes(_parse(DBT_PROJECT_DIR, "prepared with the manifest"))
    target = dbt_target_path(runs, "run-new", prepared)
    assert (target / PARTIAL_PARSE).read_bytes() == _parse(DBT_PROJECT_DIR, "last")
    # a new warehouse folder starts from the parse prepared with the manifest, and so does one whose
    # builds were all made elsewhere
    first = dbt_target_path(tmp_path / "new" / "logs" / "dbt", "run-1", prepared)
    assert (first / PARTIAL_PARSE).read_bytes() == _parse(DBT_PROJECT_DIR, "prepared with the manifest")
    for kept in runs.glob(f"*/{PARTIAL_PARSE}"):
        kept.write_bytes(_parse("/srv/cchc-release-1/dbt", "moved"))
    again = dbt_target_path(runs, "run-newer", prepared)
    assert (again / PARTIAL_PARSE).read_bytes() == _parse(DBT_PROJECT_DIR, "prepared with the manifest")
    # beside the prepared parse, dbt's parse as `make` wrote it, kept before its seeds were marked
    # changed: a new warehouse folder takes it while it was made here
    reparsed = prepared.with_name(PARSE_MADE_HERE.name)
    reparsed.write_bytes(_parse(DBT_PROJECT_DIR, "re-parsed here"))
    newest = dbt_target_path(tmp_path / "newest" / "logs" / "dbt", "run-1", prepared)
    assert (newest / PARTIAL_PARSE).read_bytes() == _parse(DBT_PROJECT_DIR, "re-parsed here")
    # a warehouse with a build of its own made here goes on from that build's parse
    (runs / "run-since" / PARTIAL_PARSE).parent.mkdir()
    (runs / "run-since" / PARTIAL_PARSE).write_bytes(_parse(DBT_PROJECT_DIR, "the last build's"))
    later = (runs / "run-newer").stat().st_mtime + 60
    os.utime(runs / "run-since", (later, later))
    since = dbt_target_path(runs, "run-after", prepared)
    assert (since / PARTIAL_PARSE).read_bytes() == _parse(DBT_PROJECT_DIR, "the last build's")
    # the project moved since `make` ran: the prepared parse, whose seeds dbt reads again where they are
    reparsed.write_bytes(_parse("/srv/cchc-release-1/dbt", "re-parsed before the move"))
    moved = dbt_target_path(tmp_path / "moved" / "logs" / "dbt", "run-1", prepared)
    assert (moved / PARTIAL_PARSE).read_bytes() == _parse(DBT_PROJECT_DIR, "prepared with the manifest")


def test_another_seed_set_keeps_its_rows_and_takes_the_projects_seed_tests(tmp_path):
    """A set made before the seeds' tests changed (a bench workload) gets the project's _seeds.yml, so
    that dbt runs the tests Dagster knows; its CSV files stay its own."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "_seeds.yml").write_text("version: 2\nseeds: []\n", encoding="utf-8")
    (folder / "agencies.csv").write_text("agency_key\nsynthetic\n", encoding="utf-8")
    name = linked_seeds(folder)
    try:
        assert (DBT_PROJECT_DIR / name).resolve() == folder.resolve()
        assert (folder / "_seeds.yml").read_bytes() == (SEEDS_DIR / "_seeds.yml").read_bytes()
        assert (folder / "agencies.csv").read_text(encoding="utf-8") == "agency_key\nsynthetic\n"
    finally:
        (DBT_PROJECT_DIR / name).unlink()
