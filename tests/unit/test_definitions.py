import subprocess
import sys

import dagster as dg

from pipelines.definitions import defs
from pipelines.orchestration.recovery import WarehouseDuckDB
from pipelines.quality.checks import gx_checks
from pipelines.quality.worker import QualityWorker
from pipelines.settings import WAREHOUSE_POOL, Settings

WRITES_WAREHOUSE = {"duckdb", "dbt"}


def test_loading_the_definitions_leaves_gx_and_matplotlib_unimported_and_the_collector_on():
    """In a Python of its own, as `cchc`, the UI's code server and each run load them: Great Expectations
    is imported by the suites alone and matplotlib to draw a chart alone (seconds every process would
    pay); the collector, off for the imports (startup), is on again with what they made frozen."""
    probe = (
        "import gc, sys, pipelines.definitions\n"
        "print(sorted(m for m in sys.modules if m.startswith(('great_expectations', 'matplotlib'))))\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 100_000)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "True True"]


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


def test_every_asset_has_a_declared_group_an_owner_and_a_description():
    groups: dict[str, set[str]] = {}
    for node in defs.resolve_asset_graph().asset_nodes:
        groups.setdefault(node.group_name, set()).add(node.key.to_user_string())
        assert node.owners, node.key
        assert node.description, node.key
    dbt_folders = {"reference", "staging", "intermediate", "marts", "bi"}  # the dbt project, by folder
    assert set(groups) == {
        "plans",
        "reports",
        "reviews",
        "self_assessments",
        "appraisals",
        "indices",
        *dbt_folders,
        "warehouse",
        "extracts",
    }
    assert "raw_plans/plan_documents" in groups["plans"] and "main/plan_documents" in groups["marts"]
    assert "reference/agencies" in groups["reference"] and "bi/bi_target_progress" in groups["bi"]
    assert groups["warehouse"] == {"published_warehouse", "parquet_files", "quarantine_list"}
    assert groups["extracts"] == {
        "par_trend_extracts",
        "chase_list",
        "review_workbooks",
        "feedback_workbooks",
    }


def test_no_two_assets_share_a_name():
    """A raw table and the mart of the same name are told apart by their schema."""
    nodes = list(defs.resolve_asset_graph().asset_nodes)
    names = [node.key.to_user_string() for node in nodes]
    assert len(names) == len(set(names))
    raw = [
        node.key.path
        for node in nodes
        if node.group_name in {"plans", "reports", "reviews", "self_assessments", "appraisals", "indices"}
    ]
    assert raw and all(len(path) == 2 and path[0].startswith("raw_") for path in raw)
    assert {"raw_plans/plan_documents", "main/plan_documents", "raw_indices/index_files"} <= set(names)


def test_dbt_sources_are_the_assets_that_load_them():
    graph = defs.resolve_asset_graph()
    staging = graph.get(dg.AssetKey(["staging", "stg_plans__targets"]))
    assert staging.parent_keys == {dg.AssetKey(["raw_plans", "plan_targets"])}
    scores = graph.get(dg.AssetKey(["staging", "stg_indices__scores"]))
    assert scores.parent_keys == {dg.AssetKey(["raw_indices", "index_scores"])}
    # every dbt source is an asset some source package materializes
    sources = {
        key for node in graph.asset_nodes for key in node.parent_keys if key.path[0].startswith("raw_")
    }
    assert sources and all(graph.get(key).is_materializable for key in sources)


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
    # validated in the quality worker, which the run sets to work as it starts (quality.worker)
    assert all("quality" in check.required_resource_keys for check in gx_checks)
    assert isinstance(defs.resources["quality"], QualityWorker)


def test_plan_ingestion_is_partitioned_per_file_and_the_build_job_is_not():
    assert defs.resolve_job_def("ingest_plans").partitions_def.name == "plan_files"
    assert defs.resolve_job_def("build_warehouse").partitions_def is None


def test_report_ingestion_is_partitioned_per_reporting_period():
    assert defs.resolve_job_def("ingest_reports").partitions_def.name == "report_periods"
    build = defs.resolve_job_def("build_warehouse")
    assert dg.AssetKey(["raw_reports", "report_submissions"]) not in build.asset_layer.executable_asset_keys


def test_every_source_has_an_ingestion_job_outside_the_build_and_a_sensor():
    from pipelines.sources.registry import SOURCES

    build = defs.resolve_job_def("build_warehouse")
    assert [source.name for source in SOURCES] == [
        "plans",
        "reports",
        "reviews",
        "self_assessments",
        "appraisals",
        "indices",
    ]
    for source in SOURCES:
        job = defs.resolve_job_def(f"ingest_{source.name}")
        assert job.partitions_def == source.partitions
        assert source.ledger.key(source.ledger.files_table) in job.asset_layer.executable_asset_keys
        assert source.ledger.key(source.ledger.files_table) not in build.asset_layer.executable_asset_keys
        assert defs.resolve_sensor_def(f"{source.noun}_files_sensor").job_name == job.name


def test_plan_files_sensor_requests_a_run_per_new_file_and_registers_its_partition(tmp_path):
    from pipelines.sources.plans.assets import SOURCE

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "kh-1.md").write_text("Kế hoạch năm 2024", encoding="utf-8")
    (tmp_path / "plans" / "kh-2.docx").write_bytes(b"PK")
    settings = Settings.at(tmp_path / "w.duckdb", tmp_path)
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(instance=instance, resources={"settings": settings})
        result = SOURCE.sensor(context)
    assert sorted(request.partition_key for request in result.run_requests) == ["kh-1.md", "kh-2.docx"]
    (added,) = result.dynamic_partitions_requests
    assert sorted(added.partition_keys) == ["kh-1.md", "kh-2.docx"]


def test_ingestion_runs_are_followed_by_a_build():
    sensor = defs.resolve_sensor_def("build_after_ingestion")
    assert sensor.job_name == "build_warehouse"


def test_an_asset_can_be_the_first_to_open_a_warehouse_in_a_folder_not_made_yet(tmp_path):
    """As from the Dagster UI on a fresh clone, before any `cchc run` made `warehouse/` or any sensor
    registered a partition: the index folder is one static partition, launchable at once."""
    from pipelines.definitions import build_definitions

    settings = Settings.at(tmp_path / "not-yet" / "cchc.duckdb", tmp_path / "raw")
    with dg.DagsterInstance.ephemeral() as instance:
        result = (
            build_definitions(settings)
            .resolve_job_def("ingest_indices")
            .execute_in_process(instance=instance, partition_key="all", raise_on_error=False)
        )
    assert result.success
    assert settings.warehouse_path.exists()


def test_every_step_that_takes_the_writer_slot_opens_the_warehouse():
    """A launched run tags itself with its process through the warehouse resource
    (recovery.WarehouseDuckDB) before any step takes the writer slot: a step taking it without that
    resource could hold it in a run whose death nobody can see."""
    pooled = [node for node in [*defs.assets, *defs.asset_checks] if node.node_def.pool == WAREHOUSE_POOL]
    assert len(pooled) >= 15  # the sources' ingestion, dbt, publication, the quarantine list, the checks
    for node in pooled:
        assert "duckdb" in node.required_resource_keys, node.node_def.name
    assert isinstance(defs.resources["duckdb"], WarehouseDuckDB)
