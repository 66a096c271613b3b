"""A table's dbt tests as its one asset check: every test of the project reaches exactly one check, a
run asks dbt for what it selected, and the check says which tests failed or warned and on how many rows.
The manifest is the project's own (`make manifest`)."""

import dagster as dg
import pytest
from dagster_dbt.asset_utils import (
    DAGSTER_DBT_UNIQUE_ID_METADATA_KEY,
    get_manifest_and_translator_from_dbt_assets,
)

from pipelines.definitions import defs
from pipelines.warehouse.dbt_assets import cchc_dbt_models
from pipelines.warehouse.dbt_checks import CHECK_NAME, TableTestResults, selection

TARGETS = dg.AssetKey(["main", "dim_target"])
PROGRESS = dg.AssetKey(["main", "fact_target_progress"])


@pytest.fixture(scope="module")
def project():
    manifest, translator, dbt_project = get_manifest_and_translator_from_dbt_assets([cchc_dbt_models])
    return manifest, translator.tests(manifest, dbt_project)


def _assets():
    return {
        key: spec.metadata[DAGSTER_DBT_UNIQUE_ID_METADATA_KEY]
        for key, spec in cchc_dbt_models.specs_by_key.items()
    }


def test_every_dbt_test_is_in_the_one_check_of_the_table_it_tests(project):
    manifest, tests = project
    in_manifest = sorted(node for node in manifest["nodes"] if node.startswith("test."))
    assert sorted(test for group in tests.by_asset.values() for test in group) == in_manifest
    checks = [key for key in defs.resolve_asset_graph().asset_check_keys if key.name == CHECK_NAME]
    assert sorted(key.asset_key for key in checks) == sorted(tests.by_asset)
    # dim_target's tests, as _progress_marts.yml declares them: its key unique and present, its area,
    # indicator and comparator known, the comparator and its meaning present
    assert len(tests.by_asset[TARGETS]) == 7
    spec = cchc_dbt_models.check_specs_by_output_name
    (target_check,) = [check for check in spec.values() if check.asset_key == TARGETS]
    assert target_check.blocking


def test_a_run_of_everything_selects_nothing_and_a_subset_names_its_models(project):
    manifest, tests = project
    assets = _assets()
    every = set(assets)
    with_check = set(tests.by_asset)
    assert selection(manifest, tests, assets=assets, selected=every, checked=with_check) == []
    # two tables with their checks: dbt's own (eager) indirect selection runs their tests
    picked = {TARGETS, PROGRESS}
    args = selection(manifest, tests, assets=assets, selected=picked, checked=picked)
    assert args == ["--select", "cchc_warehouse.marts.dim_target cchc_warehouse.marts.fact_target_progress"]


def test_a_check_without_its_table_runs_that_tables_tests_and_no_model(project):
    manifest, tests = project
    args = selection(manifest, tests, assets=_assets(), selected=set(), checked={TARGETS})
    assert len(args) == 4 and args[0] == "--select" and args[-2:] == ["--indirect-selection", "empty"]
    named = args[1].split()
    assert len(named) == 7 and all(name.startswith("cchc_warehouse.marts.") for name in named)
    assert "cchc_warehouse.marts.dim_target" not in named
    # a table without its check: the table alone, no test
    args = selection(manifest, tests, assets=_assets(), selected={TARGETS}, checked=set())
    assert args == ["--select", "cchc_warehouse.marts.dim_target", "--indirect-selection", "empty"]


def _result(test: str, status: str, failures: int = 0) -> dict:
    """A test's result as dbt prints it in its JSON log (LogTestResult), reduced to what is read."""
    return {
        "info": {"name": "LogTestResult"},
        "data": {"name": test, "status": status, "num_failures": failures, "node_info": {"unique_id": test}},
    }


def test_the_check_names_the_tests_that_failed_or_warned_and_their_rows(project):
    _, tests = project
    first, second, third, *_ = tests.by_asset[TARGETS]
    progress = tests.by_asset[PROGRESS][0]
    results = TableTestResults(tests)
    assert not results.take({"info": {"name": "LogModelResult"}, "data": {}})
    for event in (_result(first, "pass"), _result(second, "warn", 3), _result(third, "fail", 2)):
        assert results.take(event)
    results.take(_result(progress, "pass"))
    keys = [dg.AssetCheckKey(TARGETS, CHECK_NAME), dg.AssetCheckKey(PROGRESS, CHECK_NAME)]
    by_table = {check.asset_key: check for check in results.checks(keys)}
    failed = by_table[TARGETS]
    assert not failed.passed and failed.severity == dg.AssetCheckSeverity.ERROR
    assert failed.description == f"dbt tests: 3 run, 1 failed: {third}; 1 warned: {second}."
    assert failed.metadata["failing_rows"].value == {second: 3, third: 2}
    passed = by_table[PROGRESS]
    assert passed.passed and passed.description == "dbt tests passed: 1."


def test_a_table_whose_worst_test_warns_is_a_warning_and_an_unselected_check_says_nothing(project):
    _, tests = project
    first, second, *_ = tests.by_asset[TARGETS]
    results = TableTestResults(tests)
    results.take(_result(first, "pass"))
    results.take(_result(second, "warn", 1))
    (warned,) = results.checks([dg.AssetCheckKey(TARGETS, CHECK_NAME)])
    assert not warned.passed and warned.severity == dg.AssetCheckSeverity.WARN
    assert list(results.checks([dg.AssetCheckKey(PROGRESS, CHECK_NAME)])) == []  # its tests did not run
