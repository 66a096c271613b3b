"""One real warehouse, built once per test session by the real jobs (plan ingestion, dbt), in a temp dir.

Its raw/plans holds the four seed plans and two files that must be rejected without stopping the rest;
its raw/indices two published PCI workbooks, the PAR INDEX/SIPAS values and a corrupt workbook.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.settings import RAW_ENV, WAREHOUSE_ENV, Settings, load_settings

FIXTURE_PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
BROKEN_PLANS = {
    "ke-hoach-scan.pdf": b"%PDF-1.7 scanned image only",
    "ghi-chu.md": "Ghi chú họp giao ban, không phải kế hoạch.\n".encode(),
}

FIXTURE_INDICES = Path(__file__).resolve().parents[1] / "fixtures" / "indices"
INDEX_FILES = ("PCI_2005.xls", "PCI_2014.xlsx", "par_index_published.csv")
BROKEN_INDICES = {"PCI_2015.xlsx": b"PK\x03\x04 cut short while sending"}


def build_warehouse(settings: Settings, instance: dg.DagsterInstance) -> list[dg.ExecuteInProcessResult]:
    from pipelines.definitions import build_definitions
    from pipelines.runs import run_pipeline

    return run_pipeline(build_definitions(settings), instance, settings)


@pytest.fixture(scope="session")
def dagster_instance() -> dg.DagsterInstance:
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


@pytest.fixture(scope="session")
def warehouse_settings(tmp_path_factory: pytest.TempPathFactory, dagster_instance) -> Settings:
    previous = {name: os.environ.get(name) for name in (WAREHOUSE_ENV, RAW_ENV)}
    raw = tmp_path_factory.mktemp("raw")
    (raw / "plans").mkdir()
    for plan in FIXTURE_PLANS.glob("*.md"):
        shutil.copy(plan, raw / "plans" / plan.name)
    for name, content in BROKEN_PLANS.items():
        (raw / "plans" / name).write_bytes(content)
    (raw / "indices").mkdir()
    for name in INDEX_FILES:
        shutil.copy(FIXTURE_INDICES / name, raw / "indices" / name)
    for name, content in BROKEN_INDICES.items():
        (raw / "indices" / name).write_bytes(content)
    os.environ[WAREHOUSE_ENV] = str(tmp_path_factory.mktemp("warehouse") / "cchc.duckdb")
    os.environ[RAW_ENV] = str(raw)
    settings = load_settings()
    results = build_warehouse(settings, dagster_instance)
    assert all(result.success for result in results)
    yield settings
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture()
def published(warehouse_settings: Settings) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published copy, as a BI tool opens it."""
    conn = duckdb.connect(str(warehouse_settings.published_path), read_only=True)
    yield conn
    conn.close()
