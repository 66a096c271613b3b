"""The asset specs of the raw tables an ingestion multi-asset writes: one group, the data team as owner."""

import dagster as dg

from pipelines.warehouse.pools import OWNERS


def raw_table_spec(group: str, name: str, description: str, *deps: str) -> dg.AssetSpec:
    return dg.AssetSpec(name, description=description, group_name=group, owners=OWNERS, deps=deps)
