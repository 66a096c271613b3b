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
        name = node.key.to_user_string()
        prefixes = {"plan_": "plans", "index_": "indices", "report_": "reports", "par_trend_": "extracts"}
        expected = next((group for prefix, group in prefixes.items() if name.startswith(prefix)), "warehouse")
        assert node.group_name == expected, node.key
        assert node.owners, node.key
        assert node.description, node.key


def test_dbt_sources_are_the_assets_that_load_them():
    graph = defs.resolve_asset_graph()
    staging = graph.get(dg.AssetKey(["staging", "stg_plans__targets"]))
    assert dg.AssetKey("plan_targets") in staging.parent_keys
    scores = graph.get(dg.AssetKey(["staging", "stg_indices__scores"]))
    assert dg.AssetKey("index_scores") in scores.parent_keys


def test_the_extract_reads_the_marts_its_dbt_exposure_names_after_publication():
    graph = defs.resolve_asset_graph()
    parents = graph.get(dg.AssetKey("par_trend_extracts")).parent_keys
    assert {dg.AssetKey("published_warehouse"), dg.AssetKey(["main", "mart_cchc_index"])} <= parents
    assert dg.AssetKey(["main", "mart_province_index_trend"]) in parents
    build = defs.resolve_job_def("build_warehouse")
    assert dg.AssetKey("par_trend_extracts") in build.asset_layer.executable_asset_keys


def test_every_suite_is_a_blocking_check_on_a_table_the_published_copy_waits_for():
    from pipelines.quality.suites import all_suites

    graph = defs.resolve_asset_graph()
    published_parents = graph.get(dg.AssetKey("published_warehouse")).parent_keys
    build = defs.resolve_job_def("build_warehouse")
    for suite in all_suites():
        key = dg.AssetCheckKey(dg.AssetKey(suite.asset_key_path), f"gx_{suite.name}")
        check = graph.get(key)
        assert check.blocking, key
        assert key.asset_key in published_parents
        assert key in build.asset_layer.asset_graph.asset_check_keys


def test_plan_ingestion_is_partitioned_per_file_and_the_build_job_is_not():
    assert defs.resolve_job_def("ingest_plans").partitions_def.name == "plan_files"
    assert defs.resolve_job_def("build_warehouse").partitions_def is None


def test_report_ingestion_is_partitioned_per_reporting_period():
    assert defs.resolve_job_def("ingest_reports").partitions_def.name == "report_periods"
    build = defs.resolve_job_def("build_warehouse")
    assert dg.AssetKey("report_submissions") not in build.asset_layer.executable_asset_keys


def test_index_files_load_in_the_build_job_before_dbt():
    build = defs.resolve_job_def("build_warehouse")
    assert dg.AssetKey("index_scores") in build.asset_layer.executable_asset_keys


def test_plan_files_sensor_requests_a_run_per_new_file_and_registers_its_partition(tmp_path):
    from pipelines.plans.assets import plan_files_sensor
    from pipelines.resources import ProjectPaths

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "kh-1.md").write_text("Kế hoạch năm 2024", encoding="utf-8")
    (tmp_path / "plans" / "kh-2.docx").write_bytes(b"PK")
    paths = ProjectPaths(warehouse_path=str(tmp_path / "w.duckdb"), raw_dir=str(tmp_path))
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(instance=instance, resources={"paths": paths})
        result = plan_files_sensor(context)
    assert sorted(request.partition_key for request in result.run_requests) == ["kh-1.md", "kh-2.docx"]
    (added,) = result.dynamic_partitions_requests
    assert sorted(added.partition_keys) == ["kh-1.md", "kh-2.docx"]


def test_a_file_is_ingested_again_when_it_changes_or_the_parser_does(tmp_path):
    from pipelines.plans.assets import files_to_ingest, parser_version, plan_files

    plan = tmp_path / "kh-1.md"
    plan.write_text("Kế hoạch năm 2024", encoding="utf-8")
    (digest,) = files_to_ingest(dg.DagsterInstance.ephemeral(), tmp_path).values()

    def pending_after(content_hash: str, version: str) -> list[str]:
        with dg.DagsterInstance.ephemeral() as instance:
            instance.add_dynamic_partitions(plan_files.name, ["kh-1.md"])
            instance.report_runless_asset_event(
                dg.AssetMaterialization(
                    asset_key="plan_documents",
                    partition="kh-1.md",
                    metadata={"content_hash": content_hash, "parser_version": version},
                )
            )
            return list(files_to_ingest(instance, tmp_path))

    assert pending_after(digest, parser_version()) == []
    assert pending_after(digest, "an-older-parser") == ["kh-1.md"]
    assert pending_after("another-content", parser_version()) == ["kh-1.md"]


def test_ingestion_runs_are_followed_by_a_build():
    sensor = defs.resolve_sensor_def("build_after_ingestion")
    assert sensor.job_name == "build_warehouse"
