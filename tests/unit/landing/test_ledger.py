"""The one ledger every source lands its files through, on a real DuckDB file."""

import logging
import os
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.landing import tables
from pipelines.landing.files import archive, file_hash, landed_files
from pipelines.landing.ledger import Entry, Landed, Ledger, Pending, land, pending, read_ledgers
from pipelines.landing.versions import reader_version

LEDGER = Ledger(
    schema="raw_things",
    files_table="thing_files",
    file_columns={"title": pl.String()},
    row_tables={"thing_rows": {"source_file": pl.String(), "value": pl.Int32()}},
    versioned_columns=("title",),
    partition_column="title",
)


def _load(conn, name: str, digest: str, values: list[int], version: str = "v1") -> None:
    landed = Landed(name, digest, "archive/x", Path("archive/x"), version, size=len(values), modified_ns=7)
    row = LEDGER.file_frame(landed, status="loaded", rejection_reason=None, title="Q3")
    rows = tables.frame([{"value": v} for v in values], LEDGER.row_tables["thing_rows"])
    LEDGER.write(conn, row, {"thing_rows": rows})


def test_pending_is_new_changed_re_read_and_removed_files(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.xlsx").write_bytes(b"b")
    for not_sent in ("README.md", "~$a.xlsx", ".~lock.a.xlsx#", ".DS_Store", "Thumbs.db", "._a.xlsx"):
        (tmp_path / not_sent).write_text("not a submission")
    a, b = file_hash(tmp_path / "a.xlsx"), file_hash(tmp_path / "sub" / "b.xlsx")
    assert pending(tmp_path, {}, "v1").changed == {"a.xlsx": a, "sub/b.xlsx": b}
    current = {"a.xlsx": Entry(a, "v1"), "sub/b.xlsx": Entry(b, "v1"), "gone.xlsx": Entry("c", "v1")}
    assert pending(tmp_path, current, "v1").changed == {}
    assert pending(tmp_path, current, "v1").removed == ["gone.xlsx"]
    assert pending(tmp_path, current, "v2").changed == {"a.xlsx": a, "sub/b.xlsx": b}
    (tmp_path / "a.xlsx").write_bytes(b"a, corrected")
    assert list(pending(tmp_path, current, "v1").changed) == ["a.xlsx"]
    assert pending(tmp_path / "missing", {}, "v1") == Pending()


def test_hidden_files_are_submissions_and_links_are_not_followed(tmp_path, caplog):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    (raw / ".bao-cao.xlsx").write_bytes(b"a clerk's file, hidden by mistake")
    (outside / "secret.txt").write_bytes(b"not the pipeline's to read")
    (raw / "linked.xlsx").symlink_to(outside / "secret.txt")
    (raw / "linked-folder").symlink_to(outside, target_is_directory=True)
    (raw / "dangling.xlsx").symlink_to(outside / "gone.xlsx")
    (raw / "loop").symlink_to(raw / "loop")  # a link to itself: asking where it leads is an error
    os.mkfifo(raw / "pipe.xlsx")  # not a regular file: reading it would wait for ever
    (raw / "2024" / "q3").mkdir(parents=True)
    (raw / "2024" / "q3" / "so-noi-vu.xlsx").write_bytes(b"deep in sub-folders")
    (raw / "2024" / "~$so-noi-vu.xlsx").write_bytes(b"Excel's lock file")
    with caplog.at_level(logging.INFO, logger="pipelines.landing.files"):
        assert list(landed_files(raw)) == [".bao-cao.xlsx", "2024/q3/so-noi-vu.xlsx"]
    said = sorted(record.getMessage().replace(str(raw), "raw") for record in caplog.records)
    assert said == [
        "not following the link raw/dangling.xlsx",
        "not following the link raw/linked.xlsx",
        "not following the link raw/loop",
        "not following the linked folder raw/linked-folder",
        "not reading raw/2024/~$so-noi-vu.xlsx: a lock file or system note, not a submission",
        "not reading raw/pipe.xlsx: not a regular file",
    ]


def test_a_file_unchanged_in_size_and_time_is_not_hashed_again(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"a")
    stat = path.stat()
    # the ledger's hash is trusted while size and modification time are those it was taken with ...
    remembered = Entry("hash-from-the-ledger", "v1", None, stat.st_size, stat.st_mtime_ns)
    assert pending(tmp_path, {"a.xlsx": remembered}, "v1").changed == {}
    assert (
        landed_files(tmp_path, {"a.xlsx": remembered.seen()})["a.xlsx"].content_hash == "hash-from-the-ledger"
    )
    # ... and the file is read again as soon as either moves
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert pending(tmp_path, {"a.xlsx": remembered}, "v1").changed == {"a.xlsx": file_hash(path)}
    # an entry loaded before sizes were kept is always hashed
    assert pending(tmp_path, {"a.xlsx": Entry("hash-from-the-ledger", "v1")}, "v1").changed == {
        "a.xlsx": file_hash(path)
    }


def test_loading_twice_is_loading_once_and_history_is_append_only(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1, 2])
        _load(conn, "a.xlsx", "h1", [1, 2])
        _load(conn, "b.xlsx", "h9", [5])
        _load(conn, "c.xlsx", "h5", [])  # a rejected file has a files row and no other
        assert conn.execute("select count(*) from raw_things.thing_rows").fetchone() == (3,)
        _load(conn, "a.xlsx", "h2", [7], version="v2")
        assert LEDGER.current(conn) == {
            "a.xlsx": Entry("h2", "v2", "Q3", 1, 7),
            "b.xlsx": Entry("h9", "v1", "Q3", 1, 7),
            "c.xlsx": Entry("h5", "v1", "Q3", 0, 7),
        }
        LEDGER.forget(conn, ["a.xlsx", "c.xlsx"])
        assert conn.execute("select source_file, value from raw_things.thing_rows").fetchall() == [
            ("b.xlsx", 5)
        ]
        versions = conn.execute(
            "select source_file, content_hash from raw_things.thing_file_versions order by all"
        ).fetchall()
    assert versions == [("a.xlsx", "h1"), ("a.xlsx", "h2"), ("b.xlsx", "h9"), ("c.xlsx", "h5")]
    assert LEDGER.read_current(tmp_path / "w.duckdb") == {"b.xlsx": Entry("h9", "v1", "Q3", 1, 7)}
    assert LEDGER.read_current(tmp_path / "none.duckdb") == {}
    # several ledgers at once, on one connection: one whose tables were never made is empty
    unmade = Ledger(schema="raw_others", files_table="other_files", file_columns={}, row_tables={})
    assert read_ledgers(tmp_path / "w.duckdb", [unmade, LEDGER]) == [
        {},
        {"b.xlsx": Entry("h9", "v1", "Q3", 1, 7)},
    ]
    assert read_ledgers(tmp_path / "none.duckdb", [LEDGER, unmade]) == [{}, {}]


def test_many_files_are_written_from_their_columns_each_row_stamped_with_its_file(tmp_path):
    ledger = Ledger(
        schema="raw_things",
        files_table="thing_files",
        file_columns={"title": pl.String()},
        row_tables={"thing_rows": {"source_file": pl.String(), "value": pl.Int32(), "note": pl.String()}},
        versioned_columns=("title",),
    )

    def record(name: str, digest: str) -> dict:
        landed = Landed(name, digest, "archive/x", Path("archive/x"), "v1", size=1, modified_ns=7)
        return ledger.file_record(landed, status="loaded", rejection_reason=None, title="Q3")

    loads = [
        (record("a.xlsx", "h1"), {"thing_rows": {"value": [1, 2], "note": ["x", None]}}),
        (record("b.xlsx", "h2"), {"thing_rows": {"value": []}}),  # a file without rows
        (record("c.xlsx", "h3"), {}),  # a rejected file: no row table at all
        (record("d.xlsx", "h4"), {"thing_rows": {"value": [9]}}),  # a column left out is null
    ]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        ledger.ensure(conn)
        ledger.write_many(conn, loads)
        rows = conn.execute(
            "select source_file, value, note from raw_things.thing_rows order by all"
        ).fetchall()
        files = conn.execute("select source_file from raw_things.thing_files order by all").fetchall()
    assert rows == [("a.xlsx", 1, "x"), ("a.xlsx", 2, None), ("d.xlsx", 9, None)]
    assert files == [("a.xlsx",), ("b.xlsx",), ("c.xlsx",), ("d.xlsx",)]
    uneven = [(record("e.xlsx", "h5"), {"thing_rows": {"value": [1, 2], "note": ["only one"]}})]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn, pytest.raises(ValueError, match=r"e\.xlsx"):
        ledger.write_many(conn, uneven)


def test_a_table_built_before_a_column_was_declared_gains_it(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        conn.execute("create schema raw_things")
        conn.execute("create table raw_things.thing_files (source_file varchar, content_hash varchar)")
        conn.execute("insert into raw_things.thing_files values ('old.xlsx', 'h0')")
        LEDGER.ensure(conn)
        assert LEDGER.current(conn) == {"old.xlsx": Entry("h0", None, None)}


def test_the_archive_keeps_bytes_as_received_under_a_path_relative_to_the_warehouse(tmp_path):
    source = tmp_path / "raw" / "a.xlsx"
    source.parent.mkdir()
    source.write_bytes(b"first")
    digest = file_hash(source)
    archived = archive(source, tmp_path / "warehouse" / "archive" / "things")
    source.write_bytes(b"replaced later")
    assert archived.content_hash == digest
    assert archived.relative_path.as_posix() == f"archive/things/{digest[:16]}/a.xlsx"
    assert (
        (tmp_path / "warehouse" / archived.relative_path).read_bytes()
        == b"first"
        == archived.file.read_bytes()
    )
    landed = land(source.parent, "a.xlsx", tmp_path / "warehouse" / "archive" / "things", "v1")
    assert landed.content_hash == file_hash(source) != digest
    assert (tmp_path / "warehouse" / landed.archived_path).read_bytes() == b"replaced later"


def test_the_ledger_names_its_tables_and_assets_by_its_schema():
    assert (LEDGER.group, LEDGER.versions_table) == ("things", "thing_file_versions")
    assert set(LEDGER.tables) == {"thing_files", "thing_file_versions", "thing_rows"}
    assert list(LEDGER.tables["thing_file_versions"]) == [
        "source_file",
        "content_hash",
        "ingested_at",
        "archived_path",
        "status",
        "rejection_reason",
        "title",
    ]
    assert LEDGER.spec("thing_rows", "Rows.", "thing_files").key.path == ["raw_things", "thing_rows"]


def test_the_reader_version_follows_the_reader_code():
    plans, reports = "pipelines.sources.plans.assets", "pipelines.sources.reports.assets"
    assert reader_version(plans) == reader_version(plans)
    assert reader_version(plans) != reader_version(reports)


def test_a_folder_that_cannot_be_listed_forgets_nothing(tmp_path, monkeypatch, caplog):
    (tmp_path / "2024" / "q3").mkdir(parents=True)
    (tmp_path / "2024" / "q3" / "so-noi-vu.xlsx").write_bytes(b"read last week")
    (tmp_path / "so-tu-phap.xlsx").write_bytes(b"at the top")
    current = {key: Entry(seen.content_hash, "v1") for key, seen in landed_files(tmp_path).items()}
    (tmp_path / "so-y-te.xlsx").write_bytes(b"new")
    listing = os.scandir

    def denied(folder):
        if str(folder).endswith("q3"):
            raise PermissionError(13, "Permission denied", folder)
        return listing(folder)

    monkeypatch.setattr("pipelines.landing.files.os.scandir", denied)
    with caplog.at_level(logging.WARNING, logger="pipelines.landing.files"):
        todo = pending(tmp_path, current, "v1")
    assert todo.removed == [] and list(todo.changed) == ["so-y-te.xlsx"]
    assert [record.getMessage() for record in caplog.records] == [
        f"not reading the folder {tmp_path}/2024/q3: Permission denied"
    ]
