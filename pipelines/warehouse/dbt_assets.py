"""Every dbt seed, model and test as Dagster assets and asset checks."""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_duckdb import DuckDBResource

from pipelines.landing.ledger import RawTables
from pipelines.resources import OWNERS, WAREHOUSE_POOL
from pipelines.settings import Settings
from pipelines.warehouse.project import dbt_project, dbt_vars

WAREHOUSE_GROUP = "warehouse"


class CchcDbtTranslator(DagsterDbtTranslator):
    """Puts dbt resources in the `warehouse` group with the team as owner; a dbt source keeps the
    default key [schema, table], which is the key of the raw asset that loads it."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        return spec.replace_attributes(group_name=WAREHOUSE_GROUP, owners=OWNERS)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=CchcDbtTranslator(),
    pool=WAREHOUSE_POOL,
)
def cchc_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    duckdb: DuckDBResource,
    settings: Settings,
    raw_tables: dg.ResourceParam[RawTables],
) -> Iterator[Any]:
    """dbt build: seeds, staging, intermediate and marts, with their tests as asset checks."""
    with duckdb.get_connection() as conn:
        raw_tables.ensure(conn)
    yield from dbt.cli(["build", *dbt_vars(settings)], context=context).stream()
