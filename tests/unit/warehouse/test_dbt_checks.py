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
    assert args == [
        "--select",
        "cchc_warehouse.marts.dim_target cchc_warehouse.marts.fact_target_progress",
        "--indirect-selection",
        "eager",
    ]


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


def _result(test: str, status: str, failures: int = 0, name: str = "") -> dict:
    """A test's result as dbt prints it in its JSON log (LogTestResult), reduced to what is read."""
    return {
        "info": {"name": "LogTestResult"},
        "data": {
            "name": name or test,
            "status": status,
            "num_failures": failures,
            "node_info": {"unique_id": test},
        },
    }


def _ran(tests, table: dg.AssetKey, outcomes: dict[str, tuple[str, int]], results: TableTestResults) -> None:
    """Every test of `table` reported by dbt, passed unless `outcomes` says otherwise (name → status,
    rows found); a name mapped to None did not run."""
    for test in tests.by_asset[table]:
        name = tests.name_of_test[test]
        if name in outcomes and outcomes[name] is None:
            continue
        status, rows = outcomes.get(name, ("pass", 0))
        assert results.take(_result(test, status, rows, name))


def test_the_check_names_the_tests_that_failed_or_warned_and_the_rows_they_found(project):
    _, tests = project
    results = TableTestResults(tests, {TARGETS, PROGRESS})
    assert not results.take({"info": {"name": "LogModelResult"}, "data": {}})
    _ran(
        tests,
        TARGETS,
        {"unique_dim_target_target_key": ("fail", 2), "not_null_dim_target_comparator": ("warn", 3)},
        results,
    )
    _ran(tests, PROGRESS, {}, results)
    by_table = {check.asset_key: check for check in results.checks()}
    failed = by_table[TARGETS]
    assert not failed.passed and failed.severity == dg.AssetCheckSeverity.ERROR
    assert failed.description == (
        "dbt tests of main/dim_target: 7 run, 1 failed: unique_dim_target_target_key (2 rows); "
        "1 warned: not_null_dim_target_comparator (3 rows)."
    )
    assert failed.metadata["rows_found"].value == {
        "unique_dim_target_target_key": 2,
        "not_null_dim_target_comparator": 3,
    }
    passed = by_table[PROGRESS]
    assert passed.passed and passed.description == "dbt tests of main/fact_target_progress: 15 passed."


def test_a_table_whose_worst_test_warns_is_a_warning(project):
    _, tests = project
    results = TableTestResults(tests, {TARGETS})
    _ran(tests, TARGETS, {"not_null_dim_target_comparator_meaning_vi": ("warn", 1)}, results)
    (warned,) = results.checks()
    assert not warned.passed and warned.severity == dg.AssetCheckSeverity.WARN
    assert warned.description == (
        "dbt tests of main/dim_target: 7 run, 1 warned: not_null_dim_target_comparator_meaning_vi (1 row)."
    )


def test_a_test_that_did_not_run_fails_its_check(project):
    """dbt skips the tests of a table whose parent failed to build: the check cannot say they passed."""
    _, tests = project
    results = TableTestResults(tests, {TARGETS})
    _ran(tests, TARGETS, {"relationships_dim_target_area_key__area_key__ref_dim_area_": None}, results)
    (skipped,) = results.checks()
    assert not skipped.passed and skipped.severity == dg.AssetCheckSeverity.ERROR
    assert skipped.description == (
        "dbt tests of main/dim_target: 6 run, "
        "1 not run: relationships_dim_target_area_key__area_key__ref_dim_area_."
    )


def test_a_test_of_a_table_not_checked_is_left_to_dagster_dbt(project):
    """dbt's eager selection runs a test that reads a selected table for a table the run did not
    select: dagster-dbt records it as an observation; no check of that table is made up."""
    _, tests = project
    results = TableTestResults(tests, {TARGETS})
    (progress_test, *_) = tests.by_asset[PROGRESS]
    assert not results.take(_result(progress_test, "pass"))
    assert list(results.checks()) == []
