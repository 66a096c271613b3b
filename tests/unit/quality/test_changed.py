"""A suite with `changed_rows` validates the rows of the files it has not passed yet: those the
warehouse's note of validated files does not hold as the ledger holds them now, for this project
version."""

import json

import duckdb
import pytest

from pipelines.quality.changed import changed_files, note_validated
from pipelines.quality.suites import read_suite
from pipelines.warehouse import builds
from tests.unit.landing.test_ledger import LEDGER, _load
from tests.unit.warehouse.test_builds import LEDGERS


def _suite(tmp_path, changed_rows=True):
    document = {
        "name": "thing_rows",
        "meta": {"table": "raw_things.thing_rows", "key": ["source_file", "value"]},
        "expectations": [],
    }
    if changed_rows:
        document["meta"]["changed_rows"] = {"column": "source_file", "files": "raw_things.thing_files"}
    path = tmp_path / "thing_rows.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return read_suite(path)


def _changed(conn, suite):
    with changed_files(conn, suite) as relation:
        return None if relation is None else sorted(f for (f,) in conn.sql(f"from {relation}").fetchall())


def _pass(conn, suite):
    """What a check does when the suite passed: note the files it validated."""
    with changed_files(conn, suite) as relation:
        note_validated(conn, suite, relation)


@pytest.fixture
def conn(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        LEDGER.ensure(connection)
        _load(connection, "a.xlsx", "h1", [1, 2])
        _load(connection, "b.xlsx", "h2", [3])
        yield connection


def test_the_files_not_passed_yet(tmp_path, conn):
    suite = _suite(tmp_path)
    assert _changed(conn, suite) is None  # nothing passed yet: every row
    _pass(conn, suite)
    assert _changed(conn, suite) == []
    _load(conn, "c.xlsx", "h3", [4])  # new
    _load(conn, "a.xlsx", "h1", [1, 2], version="v2")  # the same bytes read again by a new reader
    LEDGER.forget(conn, ["b.xlsx"])  # gone: nothing of it to validate
    assert _changed(conn, suite) == ["a.xlsx", "c.xlsx"]
    _pass(conn, suite)
    assert _changed(conn, suite) == []
    assert conn.execute(f"select count(*) from {builds.VALIDATED}").fetchall() == [(2,)]  # a, c as now


def test_every_row_after_a_full_build_or_a_change_to_the_project_or_without_changed_rows(
    tmp_path, conn, monkeypatch
):
    suite = _suite(tmp_path)
    _pass(conn, suite)
    _load(conn, "c.xlsx", "h3", [4])
    assert _changed(conn, _suite(tmp_path, changed_rows=False)) is None
    assert _changed(conn, suite) == ["c.xlsx"]
    monkeypatch.setattr(builds, "project_version", lambda: "another version")  # a suite or a model changed
    assert _changed(conn, suite) is None
    monkeypatch.undo()
    assert _changed(conn, suite) == ["c.xlsx"]
    builds.begin_build(conn, LEDGERS, full=True)  # a full build forgets what was passed
    assert _changed(conn, suite) is None


def test_the_relation_is_gone_once_the_suite_has_run(tmp_path, conn):
    suite = _suite(tmp_path)
    _pass(conn, suite)
    with changed_files(conn, suite) as relation:
        assert conn.sql(f"select count(*) from {relation}").fetchall() == [(0,)]
    # unregistered: DuckDB then looks for a Python variable of that name
    with pytest.raises(duckdb.Error):
        conn.sql(f"from {relation}").fetchall()
