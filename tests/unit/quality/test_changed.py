"""A suite with `changed_rows` validates the rows of the files read since the last publication: the
files the published copy's ledger does not hold as they are now."""

import json
import shutil

import duckdb
import pytest

from pipelines.quality.changed import changed_files
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


def _publish(warehouse, published):
    with duckdb.connect(str(warehouse)) as conn:
        builds.record(conn, LEDGERS)
    shutil.copyfile(warehouse, published)


def _changed(warehouse, published, suite):
    with duckdb.connect(str(warehouse)) as conn, changed_files(conn, published, suite) as relation:
        return None if relation is None else sorted(f for (f,) in conn.sql(f"from {relation}").fetchall())


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1, 2])
        _load(conn, "b.xlsx", "h2", [3])
    return path


def test_the_files_read_since_the_last_publication(tmp_path, warehouse):
    published = tmp_path / "w_published.duckdb"
    suite = _suite(tmp_path)
    assert _changed(warehouse, published, suite) is None  # never published: every row
    _publish(warehouse, published)
    assert _changed(warehouse, published, suite) == []
    with duckdb.connect(str(warehouse)) as conn:
        _load(conn, "c.xlsx", "h3", [4])  # new
        _load(conn, "a.xlsx", "h1", [1, 2], version="v2")  # the same bytes read again by a new reader
        LEDGER.forget(conn, ["b.xlsx"])  # gone: nothing of it to validate
    assert _changed(warehouse, published, suite) == ["a.xlsx", "c.xlsx"]
    _publish(warehouse, published)
    assert _changed(warehouse, published, suite) == []


def test_every_row_after_a_change_to_the_project_or_for_a_suite_without_changed_rows(
    tmp_path, warehouse, monkeypatch
):
    published = tmp_path / "w_published.duckdb"
    _publish(warehouse, published)
    with duckdb.connect(str(warehouse)) as conn:
        _load(conn, "c.xlsx", "h3", [4])
    assert _changed(warehouse, published, _suite(tmp_path, changed_rows=False)) is None
    assert _changed(warehouse, published, _suite(tmp_path)) == ["c.xlsx"]
    monkeypatch.setattr(builds, "project_version", lambda: "another version")  # a suite or a model changed
    assert _changed(warehouse, published, _suite(tmp_path)) is None


def test_the_relation_is_gone_once_the_suite_has_run(tmp_path, warehouse):
    published = tmp_path / "w_published.duckdb"
    _publish(warehouse, published)
    with duckdb.connect(str(warehouse)) as conn:
        with changed_files(conn, published, _suite(tmp_path)) as relation:
            assert conn.sql(f"select count(*) from {relation}").fetchall() == [(0,)]
        with pytest.raises(
            duckdb.Error
        ):  # unregistered (DuckDB then looks for a Python variable of the name)
            conn.sql(f"from {relation}").fetchall()
