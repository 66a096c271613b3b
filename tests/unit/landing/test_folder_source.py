"""A source read as one folder, with a reader made up here: each file landed and read into its tables in
a real DuckDB file by a Dagster run, a file the reader refuses recorded as rejected with its reason, a
removed file's rows forgotten, and the run's metadata counting what it did."""

from __future__ import annotations

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.definitions import build_resources
from pipelines.landing import tables
from pipelines.landing.folder_source import folder_source
from pipelines.landing.ledger import Landed, Ledger
from pipelines.landing.source import FOLDER
from pipelines.settings import Settings

LINES: tables.Columns = {
    "source_file": pl.String(),
    "content_hash": pl.String(),
    "line": pl.String(),
    "row_status": pl.String(),
}
LEDGER = Ledger(
    schema="raw_notes",
    files_table="note_files",
    file_columns={"line_count": pl.Int32()},
    row_tables={"note_lines": LINES},
)


def _read(landed: Landed):
    text = landed.file.read_text(encoding="utf-8")
    if not text.startswith("GHI CHÚ"):
        reason = "Tệp không phải ghi chú."
        return LEDGER.file_frame(landed, status="rejected", rejection_reason=reason), {}, reason, ""
    lines = text.splitlines()[1:]
    frame = tables.frame([{"line": line, "row_status": "accepted"} for line in lines], LINES)
    described = LEDGER.file_frame(landed, status="loaded", rejection_reason=None, line_count=len(lines))
    return described, {"note_lines": frame}, None, f"{len(lines)} lines"


SOURCE = folder_source(
    name="notes",
    title="Notes",
    noun="note",
    ledger=LEDGER,
    reader=__name__,
    asset_name="note_tables",
    descriptions={
        "note_files": "One row per note.",
        "note_lines": "Lines of each note.",
        "note_file_versions": "Every content a note has had.",
    },
    read=_read,
)


@pytest.fixture
def settings(tmp_path):
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    SOURCE.folder(settings).mkdir(parents=True)
    return settings


def _run(settings) -> dict:
    result = dg.materialize([SOURCE.assets], partition_key=FOLDER, resources=build_resources(settings))
    assert result.success
    (files,) = [
        event.materialization.metadata
        for event in result.get_asset_materialization_events()
        if event.asset_key == LEDGER.key("note_files")
    ]
    return {key: value.value for key, value in files.items() if key != "parser_version"}


def _rows(settings, sql):
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_files_land_are_refused_with_a_reason_and_are_forgotten(settings):
    inbox = SOURCE.folder(settings)
    (inbox / "a.txt").write_text("GHI CHÚ\nmột\nhai", encoding="utf-8")
    (inbox / "b.txt").write_text("thư rác", encoding="utf-8")
    assert SOURCE.partitions.get_partition_keys() == [FOLDER] and SOURCE.job.name == "ingest_notes"
    assert _run(settings) == {"read_now": 2, "loaded_now": 1, "rejected_now": 1}
    assert _rows(
        settings,
        "select source_file, status, rejection_reason, line_count from raw_notes.note_files order by 1",
    ) == [
        ("a.txt", "loaded", None, 2),
        ("b.txt", "rejected", "Tệp không phải ghi chú.", None),
    ]
    assert _run(settings) == {"read_now": 0, "loaded_now": 0, "rejected_now": 0}  # nothing changed
    (inbox / "a.txt").unlink()
    _run(settings)
    assert _rows(settings, "select count(*) from raw_notes.note_lines") == [(0,)]
