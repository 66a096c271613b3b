"""One real warehouse, built once per test session by the real assets (dbt included), in a temp dir."""

from __future__ import annotations

import os

import dagster as dg
import duckdb
import pytest

from pipelines.settings import WAREHOUSE_ENV, Settings, load_settings


def build_warehouse(settings: Settings) -> dg.ExecuteInProcessResult:
    from pipelines.definitions import all_assets
    from pipelines.resources import build_resources

    return dg.materialize(
        all_assets, resources=build_resources(settings), instance=dg.DagsterInstance.ephemeral()
    )


@pytest.fixture(scope="session")
def warehouse_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    previous = os.environ.get(WAREHOUSE_ENV)
    os.environ[WAREHOUSE_ENV] = str(tmp_path_factory.mktemp("warehouse") / "cchc.duckdb")
    settings = load_settings()
    result = build_warehouse(settings)
    assert result.success
    yield settings
    if previous is None:
        os.environ.pop(WAREHOUSE_ENV, None)
    else:
        os.environ[WAREHOUSE_ENV] = previous


@pytest.fixture()
def published(warehouse_settings: Settings) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published copy, as a BI tool opens it."""
    conn = duckdb.connect(str(warehouse_settings.published_path), read_only=True)
    yield conn
    conn.close()
