"""A table's dbt tests as its one asset check: every test of the project reaches exactly one check, a
run asks dbt for what it selected, and the check says which rules failed or warned and on how many rows.
The manifest is the project's own (`make manifest`)."""

import json
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest
from dagster_dbt.asset_utils import (
    DAGSTER_DBT_UNIQUE_ID_METADATA_KEY,
    get_manifest_and_translator_from_dbt_assets,
)
from dagster_duckdb import DuckDBResource

from pipelines.definitions import defs
from pipelines.warehouse.dbt_assets import _checks, cchc_dbt_models
from pipelines.warehouse.dbt_checks import CHECK_NAME, TableTestResults, rules_found, selection

PLAIN = {"not_null", "unique", "accepted_values"}
# a process with the warehouse open for writing, as dbt has it during a build
HOLD_THE_WAREHOUSE = (
    "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); print('holding', flush=True); time.sleep(120)"
)
TARGETS = dg.AssetKey(["main", "dim_target"])
PROGRESS = dg.AssetKey(["main", "fact_target_progress"])
STG_TARGETS = dg.AssetKey(["staging", "stg_plans__targets"])


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
    # dim_target's rules, as _progress_marts.yml declares them: its key present and unique, its
    # comparator and the comparator's meaning present (one test), its area, indicator and comparator
    # known (a test each)
    assert [rule.label for test in tests.by_asset[TARGETS] for rule in tests.rules_of_test[test]] == [
        "not_null(target_key)",
        "not_null(comparator)",
        "not_null(comparator_meaning_vi)",
        "unique(target_key)",
        "relationships_dim_target_area_key__area_key__ref_dim_area_",
        "relationships_dim_target_comparator__comparator__ref_stg_reference__comparators_",
        "relationships_dim_target_indicator_code__indicator_code__ref_dim_indicator_",
    ]
    spec = cchc_dbt_models.check_specs_by_output_name
    (target_check,) = [check for check in spec.values() if check.asset_key == TARGETS]
    assert target_check.blocking
    assert target_check.description.startswith("dbt's 7 rules of this table, in 4 tests (")
    # _stg_plans.yml: target_code present and unique, is_low_confidence present, as one test
    (targets_check,) = [check for check in spec.values() if check.asset_key == STG_TARGETS]
    assert targets_check.description.startswith("dbt's 3 rules of this table, in 1 test (")


def test_a_tables_plain_column_rules_are_its_one_column_checks_test(project):
    """A not_null, unique or accepted_values test stands alone only with a config of its own (a
    `where`, a severity); the others are in their table's `column_checks_<table>`, which reads that
    table alone: a test that reads several holds back only what is built on all of them (dbt), so a
    relationships test stays a test of its own."""
    manifest, tests = project
    alone = [
        manifest["nodes"][test]
        for test in tests.asset_of_test
        if test not in tests.column_checks
        and (manifest["nodes"][test].get("test_metadata") or {}).get("name") in PLAIN
    ]
    # a total present where a report counts
    assert len(alone) == 1
    assert [
        node["name"] for node in alone if not ({"where", "severity"} & set(node["unrendered_config"]))
    ] == []
    names = sorted(manifest["nodes"][test]["name"] for test in tests.column_checks)
    assert len(names) == len(set(names)) == 125
    assert all(name.startswith("column_checks_") for name in names)
    for test in tests.column_checks:
        table = tests.asset_of_test[test].path[-1]
        assert manifest["nodes"][test]["name"] == f"column_checks_{table}"
        assert len(manifest["parent_map"][test]) == 1


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
    assert len(named) == 4 and "cchc_warehouse.marts.column_checks_dim_target" in named
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
        name = test.split(".")[2]
        if name in outcomes and outcomes[name] is None:
            continue
        status, rows = outcomes.get(name, ("pass", 0))
        assert results.take(_result(test, status, rows, name))


def _test(tests, table: dg.AssetKey, name: str) -> str:
    (test,) = [test for test in tests.by_asset[table] if test.split(".")[2] == name]
    return test


def test_the_check_names_the_rules_that_failed_or_warned_and_the_rows_they_found(project):
    _, tests = project
    results = TableTestResults(tests, {TARGETS, PROGRESS})
    assert not results.take({"info": {"name": "LogModelResult"}, "data": {}})
    _ran(
        tests,
        PROGRESS,
        {
            "column_checks_fact_target_progress": ("fail", 3),
            "a_beaten_target_is_met_fact_target_progress_": ("warn", 4),
        },
        results,
    )
    _ran(tests, TARGETS, {}, results)
    bundle = _test(tests, PROGRESS, "column_checks_fact_target_progress")
    assert results.broken_column_checks() == [bundle]
    # the rows of the failed column_checks: which of its rules broke, and on how many rows
    found = {bundle: {"unique(target_progress_key)": 2, "not_null(status)": 1}}
    by_table = {check.asset_key: check for check in results.checks(found)}
    failed = by_table[PROGRESS]
    assert not failed.passed and failed.severity == dg.AssetCheckSeverity.ERROR
    # 9 column rules, 4 relationships and two tests of their own
    assert failed.description == (
        "dbt tests of main/fact_target_progress: 15 run, "
        "2 failed: not_null(status) (1 row), unique(target_progress_key) (2 rows); "
        "1 warned: a_beaten_target_is_met_fact_target_progress_ (4 rows)."
    )
    assert failed.metadata["rows_found"].value == {
        "not_null(status)": 1,
        "unique(target_progress_key)": 2,
        "a_beaten_target_is_met_fact_target_progress_": 4,
    }
    passed = by_table[TARGETS]
    assert passed.passed and passed.description == "dbt tests of main/dim_target: 7 passed."
    # when the rules cannot be asked again, the test and its count are said
    (failed_alone,) = [check for check in results.checks() if check.asset_key == PROGRESS]
    assert "1 failed: column_checks_fact_target_progress (3 rows)" in failed_alone.description


def test_a_tables_check_is_given_once_all_its_tests_passed_and_it_was_recorded(project):
    """While dbt goes on: a table whose every test passed, once Dagster has its output; not a table with
    a test still to come or one that broke (its rows are counted at the end), nor one not recorded yet."""
    _, tests = project
    results = TableTestResults(tests, {TARGETS, PROGRESS, STG_TARGETS})
    first, *others = tests.by_asset[TARGETS]
    assert results.take(_result(first, "pass", 0, first.split(".")[2]))
    assert list(results.passed_now({TARGETS, PROGRESS, STG_TARGETS})) == []  # dim_target: 6 tests to come
    for test in others:
        assert results.take(_result(test, "pass", 0, test.split(".")[2]))
    _ran(tests, PROGRESS, {"column_checks_fact_target_progress": ("fail", 3)}, results)
    _ran(tests, STG_TARGETS, {}, results)
    assert list(results.passed_now({PROGRESS})) == []  # broke: waits for the end
    (passed,) = results.passed_now({TARGETS, PROGRESS})  # stg_plans__targets not recorded yet
    assert (passed.asset_key, passed.passed) == (TARGETS, True)
    assert passed.description == "dbt tests of main/dim_target: 7 passed."
    assert list(results.passed_now({TARGETS, PROGRESS})) == []  # given once
    # the end of the build: the checks not given
    assert [(check.asset_key, check.passed) for check in results.checks()] == [
        (PROGRESS, False),
        (STG_TARGETS, True),
    ]


def test_a_table_whose_worst_test_warns_is_a_warning(project):
    _, tests = project
    results = TableTestResults(tests, {PROGRESS})
    _ran(tests, PROGRESS, {"status_agrees_with_values_fact_target_progress_": ("warn", 1)}, results)
    (warned,) = results.checks()
    assert not warned.passed and warned.severity == dg.AssetCheckSeverity.WARN
    assert warned.description == (
        "dbt tests of main/fact_target_progress: 15 run, "
        "1 warned: status_agrees_with_values_fact_target_progress_ (1 row)."
    )


def test_a_test_whose_query_erred_is_said_to_have_erred_and_not_asked_again(project):
    """An error is no count of rows (dbt reports 0): the check says so, and the query is not run again."""
    _, tests = project
    results = TableTestResults(tests, {TARGETS})
    _ran(tests, TARGETS, {"column_checks_dim_target": ("error", 0)}, results)
    assert results.broken_column_checks() == []
    (erred,) = results.checks()
    assert not erred.passed and erred.severity == dg.AssetCheckSeverity.ERROR
    # its 4 rules were not evaluated; the 3 relationships tests were
    assert (
        erred.description
        == "dbt tests of main/dim_target: 3 run, 1 failed: column_checks_dim_target (error)."
    )


def test_a_test_that_did_not_run_fails_its_check_naming_its_rules(project):
    """dbt skips the tests of a table whose parent failed to build: the check cannot say they passed."""
    _, tests = project
    results = TableTestResults(tests, {PROGRESS})
    _ran(tests, PROGRESS, {"column_checks_fact_target_progress": None}, results)
    (skipped,) = results.checks()
    assert not skipped.passed and skipped.severity == dg.AssetCheckSeverity.ERROR
    assert skipped.description == (
        "dbt tests of main/fact_target_progress: 6 run, 9 not run: accepted_values(status), "
        "accepted_values(target_source), not_null(agency_key), not_null(agency_version_key), "
        "not_null(period_key), not_null(status), not_null(target_key), not_null(target_progress_key), "
        "unique(target_progress_key)."
    )


def test_the_rules_a_broken_column_checks_found_are_asked_again_of_the_warehouse(tmp_path):
    """Its query as the build compiled it (run_results.json), run again; a test whose query is not
    there, or fails, is left out."""
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    conn.execute("create table t as select * from (values (1, 'a'), (1, null), (2, null)) as v(k, s)")
    compiled = (
        "select rule, failing from (select 'not_null(s)' as rule, count(*) filter (where s is null) "
        "as failing from t union all select 'unique(k)', (select count(*) from (select k from t "
        "group by k having count(*) > 1))) as rules where failing > 0"
    )
    results = [
        {"unique_id": "test.p.broken", "compiled_code": compiled},
        {"unique_id": "test.p.gone", "compiled_code": "select rule, failing from missing_table"},
        {"unique_id": "test.p.silent", "compiled_code": None},
    ]
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps({"results": results}))
    found = rules_found(conn, run_results, ["test.p.broken", "test.p.gone", "test.p.silent"])
    assert found == {"test.p.broken": {"not_null(s)": 2, "unique(k)": 1}}
    assert rules_found(conn, tmp_path / "nothing.json", ["test.p.broken"]) == {}


def test_a_test_of_a_table_not_checked_is_left_to_dagster_dbt(project):
    """dbt's eager selection runs a test that reads a selected table for a table the run did not
    select: dagster-dbt records it as an observation; no check of that table is made up."""
    _, tests = project
    results = TableTestResults(tests, {TARGETS})
    (progress_test, *_) = tests.by_asset[PROGRESS]
    assert not results.take(_result(progress_test, "pass"))
    assert list(results.checks()) == []


def test_the_rules_are_not_asked_of_a_warehouse_dbt_still_holds(project, tmp_path):
    """When the build stops while dbt still runs (it holds the write lock), the check names the failed
    test and its count without waiting for the warehouse."""
    _, tests = project
    warehouse = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WAREHOUSE, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "holding\n"
        results = TableTestResults(tests, {TARGETS})
        _ran(tests, TARGETS, {"column_checks_dim_target": ("fail", 2)}, results)
        started = time.monotonic()
        (check,) = _checks(results, tmp_path, DuckDBResource(database=str(warehouse)), dbt_ended=False)
        assert time.monotonic() - started < 5
        assert (
            check.description
            == "dbt tests of main/dim_target: 7 run, 1 failed: column_checks_dim_target (2 rows)."
        )
    finally:
        holder.kill()
        holder.wait()
