import dagster as dg

from pipelines.definitions import defs
from pipelines.warehouse.pools import WAREHOUSE_POOL

WRITES_WAREHOUSE = {"duckdb", "dbt"}


def test_code_location_loads():
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("build_warehouse") is not None


def test_every_asset_that_opens_the_warehouse_queues_in_the_writer_pool():
    graph = defs.resolve_asset_graph()
    writers = [
        node for node in graph.asset_nodes if WRITES_WAREHOUSE & set(node.assets_def.required_resource_keys)
    ]
    assert {node.key.to_user_string() for node in writers} >= {"published_warehouse", "main/dim_agency"}
    for node in writers:
        assert node.assets_def.node_def.pool == WAREHOUSE_POOL, node.key


def test_every_asset_has_group_owner_and_description():
    for node in defs.resolve_asset_graph().asset_nodes:
        assert node.group_name == "warehouse", node.key
        assert node.owners, node.key
        assert node.description, node.key
