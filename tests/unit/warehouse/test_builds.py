"""What the last publication was built from decides what the next build must do."""

import shutil

import duckdb

from pipelines.landing.ledger import RawTables
from pipelines.quality.suites import all_suites
from pipelines.warehouse import builds
from tests.unit.landing.test_ledger import LEDGER, _load

LEDGERS = RawTables((LEDGER,)).ledgers


# the dbt project of the test ledger: one model reads its files
MANIFEST = {
    "sources": {"source.p.raw_things.thing_files": {"source_name": "raw_things"}},
    "child_map": {"source.p.raw_things.thing_files": ["model.p.things"], "model.p.things": []},
    "nodes": {"model.p.things": {}},
}


def _build(conn, published, *, full: bool, built=frozenset({"model.p.things"}), meanwhile=None) -> None:
    """A dbt build as the dbt asset runs it: begin, dbt runs the models `built` (while `meanwhile`
    happens), end."""
    started = builds.begin_build(conn, LEDGERS, full=full)
    if meanwhile:
        meanwhile(conn)
    builds.end_build(
        conn, LEDGERS, started=started, manifest=MANIFEST, built=set(built), published=published, full=full
    )


def _publish(warehouse, published, *, full: bool = True, **build) -> None:
    """A build, then the publication: record and copy."""
    with duckdb.connect(str(warehouse)) as conn:
        _build(conn, published, full=full, **build)
        builds.record(conn, LEDGERS)
    shutil.copyfile(warehouse, published)


def _published_with_one_file(tmp_path):
    """A warehouse whose ledger holds a.xlsx, built and published."""
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w_published.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1])
    _publish(warehouse, published)
    return warehouse, published


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
    warehouse, published = _published_with_one_file(tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        _load(conn, "b.xlsx", "h2", [2])
        builds.record(conn, LEDGERS)  # recorded in the warehouse, then killed before the copy
    assert builds.changed_sources(warehouse, published, LEDGERS) == {"things"}


def test_a_full_build_unfinished_partial_or_by_another_version_makes_the_next_one_full(tmp_path, monkeypatch):
    warehouse, published = _published_with_one_file(tmp_path)
    assert builds.changed_sources(warehouse, published, LEDGERS) == set()
    with duckdb.connect(str(warehouse)) as conn:
        builds.begin_build(conn, LEDGERS, full=True)  # then killed, or dbt failed: models half rebuilt
        assert not builds.incremental_models_current(conn)
        _build(conn, published, full=True, built=set())  # a full build of part of the models
        assert not builds.incremental_models_current(conn)
    assert builds.changed_sources(warehouse, published, LEDGERS) is None
    with duckdb.connect(str(warehouse)) as conn:
        _build(conn, published, full=True)
        assert builds.incremental_models_current(conn)
    # a new version's full build succeeded but was not published; back to the published version
    with monkeypatch.context() as deployed:
        deployed.setattr(builds, "project_version", lambda: "the next version")
        with duckdb.connect(str(warehouse)) as conn:
            _build(conn, published, full=True)
    with duckdb.connect(str(warehouse)) as conn:
        assert not builds.incremental_models_current(conn)  # their rows are the next version's
    assert builds.changed_sources(warehouse, published, LEDGERS) is None


def test_a_file_ingested_while_the_build_ran_is_not_counted_as_built(tmp_path):
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w_published.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1])
    _publish(warehouse, published, meanwhile=lambda conn: _load(conn, "b.xlsx", "h2", [2]))
    assert builds.changed_sources(warehouse, published, LEDGERS) == {"things"}


def test_a_build_that_ran_none_of_a_source_s_models_leaves_its_files_to_the_next(tmp_path):
    warehouse, published = _published_with_one_file(tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        _load(conn, "b.xlsx", "h2", [2])
    _publish(warehouse, published, full=False, built=set())  # e.g. a build of another source's models
    assert builds.changed_sources(warehouse, published, LEDGERS) == {"things"}
    _publish(warehouse, published, full=False)
    assert builds.changed_sources(warehouse, published, LEDGERS) == set()


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
