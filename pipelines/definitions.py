"""The one Definitions object of the cchc-warehouse code location."""

import dagster as dg

from pipelines.progress import progress_logger
from pipelines.resources import build_resources
from pipelines.warehouse.dbt_assets import cchc_dbt_models
from pipelines.warehouse.publish import published_warehouse

all_assets = [cchc_dbt_models, published_warehouse]

all_assets_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Materialize every asset: reference data, dbt models and tests, the published copy.",
)

defs = dg.Definitions(
    assets=all_assets,
    jobs=[all_assets_job],
    resources=build_resources(),
    loggers={"console": dg.colored_console_logger, "progress": progress_logger},
)
