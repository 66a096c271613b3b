"""What the last publication was built from decides what the next build must do."""

import shutil

import duckdb

from pipelines.landing.ledger import RawTables
from pipelines.quality.suites import all_suites
from pipelines.warehouse import builds
from tests.unit.landing.test_ledger import LEDGER, _load

LEDGERS = RawTables((LEDGER,)).ledgers


def _publish(warehouse, published, *, full: bool = True) -> None:
    """As a build does: note its sources when dbt starts (a full one makes the incremental models
    this version's when it ends), then record and copy."""
    with duckdb.connect(str(warehouse)) as conn:
        builds.begin_build(conn, LEDGERS, full=full)
        if full:
            builds.end_full_build(conn)
        builds.record(conn, LEDGERS)
    shutil.copyfile(warehouse, published)


def test_a_build_does_what_changed_since_the_last_publication(tmp_path, monkeypatch):
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w_published.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1])
    assert builds.changed_sources(warehouse, published, LEDGERS) is None  # never published: everything
    _publish(warehouse, published)
    assert builds.changed_sources(warehouse, published, LEDGERS) == set()  # nothing since
    with duckdb.connect(str(warehouse)) as conn:
        _load(conn, "b.xlsx", "h2", [2])
    assert builds.changed_sources(warehouse, published, LEDGERS) == {"things"}
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.forget(conn, ["b.xlsx"])  # back to one file, but not to the state published
    assert builds.changed_sources(warehouse, published, LEDGERS) == {"things"}
    _publish(warehouse, published, full=False)
    assert builds.changed_sources(warehouse, published, LEDGERS) == set()
    # a change to the project (models, seeds, suites, build code) makes the next build a full one
    monkeypatch.setattr(builds, "project_version", lambda: "another version")
    assert builds.changed_sources(warehouse, published, LEDGERS) is None


def test_a_run_killed_before_its_copy_was_in_place_never_counts_as_published(tmp_path):
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w_published.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1])
    _publish(warehouse, published)
    with duckdb.connect(str(warehouse)) as conn:
        _load(conn, "b.xlsx", "h2", [2])
        builds.record(conn, LEDGERS)  # recorded in the warehouse, then killed before the copy
    assert builds.changed_sources(warehouse, published, LEDGERS) == {"things"}


def test_a_full_build_unfinished_or_by_another_version_makes_the_next_one_full(tmp_path, monkeypatch):
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w_published.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1])
    _publish(warehouse, published)
    assert builds.changed_sources(warehouse, published, LEDGERS) == set()
    with duckdb.connect(str(warehouse)) as conn:
        builds.begin_build(conn, LEDGERS, full=True)  # then killed: the incremental models half rebuilt
        assert not builds.incremental_models_current(conn)
    assert builds.changed_sources(warehouse, published, LEDGERS) is None
    # a new version's full build succeeded but was not published; back to the published version
    with monkeypatch.context() as deployed:
        deployed.setattr(builds, "project_version", lambda: "the next version")
        with duckdb.connect(str(warehouse)) as conn:
            builds.begin_build(conn, LEDGERS, full=True)
            builds.end_full_build(conn)
    with duckdb.connect(str(warehouse)) as conn:
        assert not builds.incremental_models_current(conn)  # their rows are the next version's
    assert builds.changed_sources(warehouse, published, LEDGERS) is None


def test_a_file_ingested_while_the_build_ran_is_not_counted_as_built(tmp_path):
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w_published.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1])
        builds.begin_build(conn, LEDGERS, full=True)
        builds.end_full_build(conn)
        _load(conn, "b.xlsx", "h2", [2])  # between dbt and publication, by another run
        builds.record(conn, LEDGERS)
    shutil.copyfile(warehouse, published)
    assert builds.changed_sources(warehouse, published, LEDGERS) == {"things"}


def test_each_suite_reads_only_the_columns_its_expectations_use():
    suites = {suite.name: suite for suite in all_suites()}
    indicator_values = suites["stg_reports__indicator_values"]
    assert set(indicator_values.columns) == {
        "source_file",
        "content_hash",
        "actual_cell",
        "actual_value",
        "is_percent",
        "row_status",
    }
    for suite in suites.values():
        assert set(suite.key) <= set(suite.columns)
        assert suite.column_query.startswith("select ") and suite.batch_query in suite.column_query
