"""Appraisal workbooks in raw/appraisals land like any source (a real DuckDB file, materialized by
Dagster): a bad file recorded as rejected with its reason, a bad row with its cell."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.definitions import build_resources
from pipelines.landing.source import FOLDER
from pipelines.settings import Settings
from pipelines.sources.appraisals.assets import SOURCE, appraisal_tables
from tests.unit.sources.appraisals.test_read import filled


def test_appraisals_land_and_a_bad_row_is_kept_with_its_cell(tmp_path):
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    inbox = SOURCE.folder(settings)
    inbox.mkdir(parents=True)
    filled(tmp_path, {2: (3, None), 3: (12, None)}).rename(inbox / "tham-dinh.xlsx")
    (inbox / "ghi-chu.xlsx").write_bytes(b"not a workbook")
    result = dg.materialize([appraisal_tables], partition_key=FOLDER, resources=build_resources(settings))
    assert result.success
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        files = conn.execute(
            "select source_file, status, province_key, assessed_year from raw_appraisals.appraisal_files"
            " order by 1"
        ).fetchall()
        rows = conn.execute(
            "select criterion_code, appraised_score, row_status, score_cell"
            " from raw_appraisals.appraisal_scores order by row_number"
        ).fetchall()
    assert files == [("ghi-chu.xlsx", "rejected", None, None), ("tham-dinh.xlsx", "loaded", "dong_nai", 2024)]
    assert rows == [
        ("1.2.1", 0.0, "accepted", "I6"),
        ("1.4", None, "rejected", "I7"),
        ("8.1", 12.0, "accepted", "I8"),
    ]
