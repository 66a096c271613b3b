"""Resources, all configured from pipelines.settings once."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from pipelines.settings import Settings, load_settings
from pipelines.warehouse.project import dbt_project


class ProjectPaths(dg.ConfigurableResource):
    """Where raw files land and where the warehouse and extracts are written."""

    warehouse_path: str
    raw_dir: str

    def settings(self) -> Settings:
        return Settings(warehouse_path=Path(self.warehouse_path), raw_dir=Path(self.raw_dir))


def build_resources(settings: Settings | None = None) -> dict[str, dg.ConfigurableResource]:
    settings = settings or load_settings()
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    return {
        "duckdb": DuckDBResource(database=str(settings.warehouse_path)),
        # the dbt next to this interpreter, so `.venv/bin/cchc` works without activating the venv
        "dbt": DbtCliResource(
            project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt")
        ),
        "paths": ProjectPaths(warehouse_path=str(settings.warehouse_path), raw_dir=str(settings.raw_dir)),
    }
