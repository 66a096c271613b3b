"""Every dbt seed, model and test as Dagster assets and asset checks."""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_duckdb import DuckDBResource

from pipelines.warehouse.pools import OWNERS, WAREHOUSE_POOL
from pipelines.warehouse.project import dbt_project
from pipelines.warehouse.sources import ensure_sources


class CchcDbtTranslator(DagsterDbtTranslator):
    """Puts dbt resources in the `warehouse` group with the team as owner."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        return spec.replace_attributes(group_name="warehouse", owners=OWNERS)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=CchcDbtTranslator(),
    pool=WAREHOUSE_POOL,
)
def cchc_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource
) -> Iterator[Any]:
    """dbt build: seeds, staging, intermediate and marts, with their tests as asset checks."""
    with duckdb.get_connection() as conn:
        ensure_sources(conn)
    yield from dbt.cli(["build"], context=context).stream()
