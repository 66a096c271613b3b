"""Self-assessments in raw/self_assessments land like any source: archived, read into
raw_self_assessments (a real DuckDB file, materialized by Dagster), a file that is no self-assessment
recorded as rejected with its reason and a bad row with its cell; a removed file takes its rows with it."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.definitions import build_resources
from pipelines.landing.source import FOLDER
from pipelines.settings import Settings
from pipelines.sources.self_assessments.assets import SOURCE, self_assessment_tables
from tests.unit.sources.self_assessments.test_read import filled


def _materialize(settings: Settings) -> None:
    result = dg.materialize(
        [self_assessment_tables], partition_key=FOLDER, resources=build_resources(settings)
    )
    assert result.success


def _rows(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_self_assessments_land_and_are_forgotten_when_removed(tmp_path):
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    inbox = SOURCE.folder(settings)
    inbox.mkdir(parents=True)
    filled(tmp_path, {"1.2": ("1,5", None), "1.3": ("hai", None)}).rename(inbox / "so-noi-vu-2024.xlsx")
    (inbox / "bang-diem.xlsx").write_bytes(b"PK\x03\x04 cut short")
    _materialize(settings)

    assert _rows(
        settings,
        "select source_file, status, agency_key, assessed_year, score_count, evidence_count"
        " from raw_self_assessments.self_assessment_files order by 1",
    ) == [
        ("bang-diem.xlsx", "rejected", None, None, None, None),
        ("so-noi-vu-2024.xlsx", "loaded", "dong_nai.so_noi_vu", 2024, 4, 4),
    ]
    assert _rows(
        settings,
        "select criterion_code, self_score, row_status from raw_self_assessments.self_assessment_scores"
        " where criterion_code in ('1.2', '1.3') order by 1",
    ) == [("1.2", 1.5, "accepted"), ("1.3", None, "rejected")]
    assert _rows(
        settings,
        "select row_number, row_status from raw_self_assessments.self_assessment_evidence order by 1",
    ) == [(5, "accepted"), (6, "accepted"), (7, "rejected"), (8, "rejected")]
    assert SOURCE.runs(settings, SOURCE.ledger.read_current(settings.warehouse_path)) == {}

    (inbox / "so-noi-vu-2024.xlsx").unlink()
    _materialize(settings)
    assert _rows(settings, "select count(*) from raw_self_assessments.self_assessment_evidence") == [(0,)]
