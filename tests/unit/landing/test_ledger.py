"""The one ledger every source lands its files through, on a real DuckDB file."""

import logging
import os
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.landing import tables
from pipelines.landing.files import Kept, Received, archive, file_hash, landed_files
from pipelines.landing.ledger import (
    Entry,
    Landed,
    Ledger,
    Pending,
    Rows,
    land,
    land_packed,
    pending,
    read_ledgers,
)
from pipelines.landing.versions import reader_version
from tests.archived import archived_bytes

LEDGER = Ledger(
    schema="raw_things",
    files_table="thing_files",
    file_columns={"title": pl.String()},
    row_tables={"thing_rows": {"source_file": pl.String(), "value": pl.Int32()}},
    versioned_columns=("title",),
    partition_column="title",
)


def _load(conn, name: str, digest: str, values: list[int], version: str = "v1") -> None:
    archived = f"archive/things/{digest}/{name}"
    landed = Landed(name, digest, archived, Path(archived), version, size=len(values), modified_ns=7)
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
            "a.xlsx": Entry("h2", "v2", "Q3", 1, 7, "archive/things/h2/a.xlsx"),
            "b.xlsx": Entry("h9", "v1", "Q3", 1, 7, "archive/things/h9/b.xlsx"),
            "c.xlsx": Entry("h5", "v1", "Q3", 0, 7, "archive/things/h5/c.xlsx"),
        }
        assert LEDGER.current(conn, ["c.xlsx", "gone.xlsx"]) == {
            "c.xlsx": Entry("h5", "v1", "Q3", 0, 7, "archive/things/h5/c.xlsx")
        }
        assert LEDGER.current(conn, []) == {}
        LEDGER.forget(conn, ["a.xlsx", "c.xlsx"])
        assert conn.execute("select source_file, value from raw_things.thing_rows").fetchall() == [
            ("b.xlsx", 5)
        ]
        versions = conn.execute(
            "select source_file, content_hash from raw_things.thing_file_versions order by all"
        ).fetchall()
    assert versions == [("a.xlsx", "h1"), ("a.xlsx", "h2"), ("b.xlsx", "h9"), ("c.xlsx", "h5")]
    b = Entry("h9", "v1", "Q3", 1, 7, "archive/things/h9/b.xlsx")
    assert LEDGER.read_current(tmp_path / "w.duckdb") == {"b.xlsx": b}
    assert LEDGER.read_current(tmp_path / "none.duckdb") == {}
    # several ledgers at once, on one connection: one whose tables were never made is empty
    unmade = Ledger(schema="raw_others", files_table="other_files", file_columns={}, row_tables={})
    assert read_ledgers(tmp_path / "w.duckdb", [unmade, LEDGER]) == [
        {},
        {"b.xlsx": b},
    ]
    assert read_ledgers(tmp_path / "none.duckdb", [LEDGER, unmade]) == [{}, {}]


def test_many_files_are_written_from_their_share_of_a_batch_each_row_stamped_with_its_file(tmp_path):
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

    # one worker's batch: one frame for a, b (no rows) and d; a note column d's rows leave null
    batch = pl.DataFrame(
        {"value": [1, 2, 9], "note": ["x", None, None]}, schema={"value": pl.Int32, "note": pl.String}
    )
    other = pl.DataFrame(
        {"value": [7, 8, 5]}, schema={"value": pl.Int32}
    )  # another batch's frame, of which e's rows are loaded alone
    loads = [
        (record("a.xlsx", "h1"), {"thing_rows": Rows(batch, 0, 2)}),
        (record("b.xlsx", "h2"), {"thing_rows": Rows(batch, 2, 0)}),  # a file without rows
        (record("c.xlsx", "h3"), {}),  # a rejected file: no row table at all
        (record("d.xlsx", "h4"), {"thing_rows": Rows(batch, 2, 1)}),
        (record("e.xlsx", "h5"), {"thing_rows": Rows(other, 1, 1)}),
    ]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        ledger.ensure(conn)
        ledger.write_many(conn, loads)
        rows = conn.execute(
            "select source_file, value, note from raw_things.thing_rows order by all"
        ).fetchall()
        files = conn.execute("select source_file from raw_things.thing_files order by all").fetchall()
    assert rows == [("a.xlsx", 1, "x"), ("a.xlsx", 2, None), ("d.xlsx", 9, None), ("e.xlsx", 8, None)]
    assert files == [("a.xlsx",), ("b.xlsx",), ("c.xlsx",), ("d.xlsx",), ("e.xlsx",)]
    # a run may ask for a batch's files in another order than the batch read them, and leave some out
    wide = pl.DataFrame({"value": [10, 11, 12, 13, 14]}, schema={"value": pl.Int32})
    unordered = [
        (record("k.xlsx", "h11"), {"thing_rows": Rows(wide, 3, 2)}),
        (record("i.xlsx", "h9"), {"thing_rows": Rows(wide, 0, 1)}),  # rows 1-2: a file not written now
    ]
    whole_unordered = [
        (record("m.xlsx", "h13"), {"thing_rows": Rows(batch, 2, 1)}),
        (record("l.xlsx", "h12"), {"thing_rows": Rows(batch, 0, 2)}),
    ]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        ledger.write_many(conn, unordered)
        ledger.write_many(conn, whole_unordered)
        rows = conn.execute(
            "select source_file, value from raw_things.thing_rows where source_file > 'h' order by all"
        ).fetchall()
    assert rows == [
        ("i.xlsx", 10),
        ("k.xlsx", 13),
        ("k.xlsx", 14),
        ("l.xlsx", 1),
        ("l.xlsx", 2),
        ("m.xlsx", 9),
    ]
    beyond = [(record("f.xlsx", "h6"), {"thing_rows": Rows(batch, 2, 2)})]  # a reader's bug
    overlapping = [
        (record("g.xlsx", "h7"), {"thing_rows": Rows(batch, 0, 2)}),
        (record("h.xlsx", "h8"), {"thing_rows": Rows(batch, 1, 2)}),
    ]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        with pytest.raises(ValueError, match=r"f\.xlsx: rows 2 to 4 of thing_rows beyond its frame of 3"):
            ledger.write_many(conn, beyond)
        with pytest.raises(ValueError, match=r"h\.xlsx: rows of thing_rows shared with another file"):
            ledger.write_many(conn, overlapping)
        with pytest.raises(ValueError, match=r"n\.xlsx: rows 1 to 0 of thing_rows beyond"):
            ledger.write_many(conn, [(record("n.xlsx", "h14"), {"thing_rows": Rows(batch, 1, -1)})])
        # a value of another type is refused, not converted (1.5 would have become 1)
        floats = pl.DataFrame({"value": [1.5]})
        with pytest.raises(ValueError, match=r"thing_rows\.value: Float64 given for a column of Int32"):
            ledger.write_many(conn, [(record("o.xlsx", "h15"), {"thing_rows": Rows.of(floats)})])
        assert conn.execute("select count(*) from raw_things.thing_rows").fetchone() == (10,)  # unchanged


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


def test_files_read_together_are_archived_in_one_pack_and_read_as_the_bytes_packed(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    archive_dir = warehouse / "archive" / "things"
    (raw / "so").mkdir(parents=True)
    (raw / "so" / "bao-cao.xlsx").write_bytes(b"first")
    (raw / "phuong Bến Nghé.xlsx").write_bytes(b"second")
    packs = archive_dir / "packs"

    def read(landed: Landed) -> Landed:
        # each file is read while the pack is still being written: none in place yet
        assert [path.name for path in packs.iterdir() if not path.name.startswith(".")] == []
        return landed

    files = [("so/bao-cao.xlsx", None), ("phuong Bến Nghé.xlsx", None)]
    first, second = land_packed(raw, files, archive_dir, "v1", read)
    (raw / "so" / "bao-cao.xlsx").write_bytes(b"replaced later")
    # the readers read the bytes hashed and packed, under the clerk's name, not the file replaced since
    assert first.file == Received("bao-cao.xlsx", b"first") and first.file.data == b"first"
    assert (first.source_file, first.content_hash, first.size, first.reader_version) == (
        "so/bao-cao.xlsx",
        "a7937b64b8caa58f03721bb6bacf5c78cb235febe0e70b1b84cd99541461a08e",  # sha256 of b"first"
        5,
        "v1",
    )
    (pack,) = packs.iterdir()  # one pack, in place once the files are read, no staging file left
    assert first.archived_path == f"archive/things/packs/{pack.name}/a7937b64b8caa58f/bao-cao.xlsx"
    assert second.archived_path == f"archive/things/packs/{pack.name}/16367aacb67a4a01/phuong Bến Nghé.xlsx"
    with zipfile.ZipFile(pack) as packed:  # a zip any unzip tool opens
        assert sorted(packed.namelist()) == [
            "16367aacb67a4a01/phuong Bến Nghé.xlsx",
            "a7937b64b8caa58f/bao-cao.xlsx",
        ]
        assert packed.getinfo("a7937b64b8caa58f/bao-cao.xlsx").compress_type == zipfile.ZIP_STORED
    assert archived_bytes(warehouse, first.archived_path) == b"first"
    assert archived_bytes(warehouse, second.archived_path) == b"second"

    # read again by a newer reader: a content the archive keeps is not packed again; a changed one is
    kept = [Kept(first.content_hash, first.archived_path), Kept(second.content_hash, second.archived_path)]
    files = [("so/bao-cao.xlsx", kept[0]), ("phuong Bến Nghé.xlsx", kept[1])]
    again = land_packed(raw, files, archive_dir, "v2", lambda landed: landed)
    assert again[1].archived_path == second.archived_path and again[1].file.data == b"second"
    assert again[0].file.data == b"replaced later" and again[0].archived_path != first.archived_path
    assert archived_bytes(warehouse, again[0].archived_path) == b"replaced later"
    (new,) = set(packs.iterdir()) - {pack}
    with zipfile.ZipFile(new) as packed:
        assert packed.namelist() == [f"{again[0].content_hash[:16]}/bao-cao.xlsx"]  # the new content alone
    # every content kept: no pack at all
    files = [("phuong Bến Nghé.xlsx", kept[1])]
    assert land_packed(raw, files, archive_dir, "v3", lambda landed: landed.archived_path) == [
        second.archived_path
    ]
    # a file gone since it was planned fails the batch, leaving no pack and no staging file behind
    with pytest.raises(FileNotFoundError):
        land_packed(raw, [("so/bao-cao.xlsx", None), ("da-xoa.xlsx", None)], archive_dir, "v3", lambda _: 0)
    assert sorted(packs.iterdir()) == sorted([pack, new])
    # a copy of its own, as a source read a file at a time keeps it, reads back the same way
    single = land(raw, "phuong Bến Nghé.xlsx", archive_dir, "v1")
    assert archived_bytes(warehouse, single.archived_path) == b"second"


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
