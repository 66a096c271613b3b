"""The GX suites on a real warehouse: all pass on the clean build; each damage pattern, injected into a copy,
fails the matching suite with its problem and the rows named; a failing blocking check stops publication."""

import shutil

import dagster as dg
import duckdb
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.definitions import build_definitions
from pipelines.orchestration.runs import build_warehouse
from pipelines.quality.batch import previous_row_count
from pipelines.quality.checks import describe_evaluations
from pipelines.quality.context import build_data_docs, data_docs_dir
from pipelines.quality.suites import all_suites
from pipelines.quality.validate import run_suite
from pipelines.settings import Settings

SUITES = {suite.name: suite for suite in all_suites()}


def validate(settings: Settings, name: str, damage: str | None = None):
    if damage:
        with duckdb.connect(str(settings.warehouse_path)) as conn:
            conn.execute(damage)
    suite = SUITES[name]
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        return run_suite(
            settings.warehouse_dir,
            conn,
            suite,
            previous_row_count(settings.published_path, suite.table),
        )


def test_every_suite_passes_on_the_clean_build_and_writes_data_docs(fork):
    shutil.rmtree(data_docs_dir(fork.warehouse_dir), ignore_errors=True)
    results = [validate(fork, name) for name in SUITES]
    assert [result.describe() for result in results if result.failures] == []  # no warning either
    assert not data_docs_dir(fork.warehouse_dir).exists()  # built once per run, not per suite
    assert build_data_docs(fork.warehouse_dir) == data_docs_dir(fork.warehouse_dir) / "index.html"
    assert (data_docs_dir(fork.warehouse_dir) / "index.html").exists()
    validations = data_docs_dir(fork.warehouse_dir) / "validations"
    # validations/<suite>/<run>/<time>/<batch>.html
    assert {path.relative_to(validations).parts[0] for path in validations.rglob("*.html")} >= set(SUITES)


def test_an_out_of_range_rate_fails_the_fact_and_names_the_row(fork):
    result = validate(
        fork,
        "fact_target_progress",
        """
        update main.fact_target_progress set actual_value = 150, status = 'met', period_key = period_key
        where target_progress_key = (
            select min(target_progress_key) from main.fact_target_progress
            where unit = 'percent' and comparator = '>=' and status <> 'not_due'
        )
        """,
    )
    (failure,) = result.failures
    assert (failure.expectation, failure.column) == ("expect_column_values_to_be_between", "actual_value")
    assert "percentage outside 0-100" in failure.problem and "1 of" in failure.observed
    assert failure.sample[0]["actual_value"] == 150 and failure.sample[0]["target_key"]


def test_a_duplicate_fact_fails_the_grain(fork):
    result = validate(
        fork,
        "fact_target_progress",
        "insert into main.fact_target_progress select * from main.fact_target_progress limit 1",
    )
    assert [failure.expectation for failure in result.failures] == ["expect_compound_columns_to_be_unique"]
    assert "declared grain" in result.failures[0].problem
    assert len(result.failures[0].sample) == 2  # both rows, named by target, agency and period


def test_an_unknown_period_fails_the_compliance_fact(fork):
    result = validate(
        fork,
        "fact_report_submission",
        "update main.fact_report_submission set period_key = '2024-Q2' "
        "where report_submission_key = (select min(report_submission_key) from main.fact_report_submission)",
    )
    (failure,) = result.failures
    assert failure.column == "is_statutory_period" and "not a statutory one" in failure.problem
    assert failure.sample[0]["period_key"] == "2024-Q2"


def test_a_dangling_issuer_and_lost_rows_fail_the_targets(fork):
    result = validate(
        fork,
        "dim_target",
        "update main.dim_target set issuer_agency_key = 'dong_nai.so_khong_co' "
        "where source_file like 'kh-300%'; delete from main.dim_target where source_file not like 'kh-300%'",
    )
    problems = {failure.column or failure.expectation: failure for failure in result.failures}
    assert set(problems) == {"issuer_status", "row_count_drift"}
    assert "points nowhere" in problems["issuer_status"].problem and not problems["issuer_status"].is_warning
    assert problems["row_count_drift"].is_warning  # a drop is shown, not a stop


def test_cchc_check_exits_non_zero_on_a_failed_suite(fork):
    assert CliRunner().invoke(app, ["check"]).exit_code == 0
    with duckdb.connect(str(fork.warehouse_path)) as conn:
        conn.execute("insert into main.mart_cchc_index select * from main.mart_cchc_index limit 1")
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 1
    assert "FAILED expect_compound_columns_to_be_unique" in result.output
    assert "two index rows for one agency and year" in result.output


def test_a_failing_blocking_check_stops_publication(fork):
    """A misread percentage in the raw plan targets passes dbt's tests but not the staging suite: the
    published copy BI tools read and the extracts are not rebuilt."""
    with duckdb.connect(str(fork.warehouse_path)) as conn:
        conn.execute(
            "update raw_plans.plan_targets set target_value = 97.5 * 10 "
            "where unit = 'percent' and not is_implausible and target_seq = 1"
        )
    published_before = fork.published_path.stat().st_mtime_ns
    defs = build_definitions(fork)
    with dg.DagsterInstance.ephemeral() as instance:
        # what the changed table feeds, the extracts included
        selection = dg.AssetSelection.assets(dg.AssetKey(["raw_plans", "plan_targets"])).downstream()
        result = build_warehouse(defs, instance, selection)
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    failed = {
        name for name, evaluation in evaluations.items() if name.startswith("gx_") and not evaluation.passed
    }
    assert failed == {"gx_stg_plans__targets", "gx_dim_target"}  # where it appears, and the table built on it
    assert "misread" in evaluations["gx_stg_plans__targets"].description
    assert "975" in evaluations["gx_stg_plans__targets"].description
    materialized = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    assert "main/fact_target_progress" in materialized  # dbt built, its own tests passed
    dbt_tests = {
        e.asset_key.to_user_string(): e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "dbt_tests"
    }
    # the 15 rules _progress_marts.yml declares on fact_target_progress, as one check
    assert (
        dbt_tests["main/fact_target_progress"].description
        == "dbt tests of main/fact_target_progress: 15 passed."
    )
    # the tables the change does not reach were not built, and their tests did not run
    assert "main/dim_agency" not in materialized and "main/dim_agency" not in dbt_tests
    assert {"published_warehouse", "par_trend_extracts"}.isdisjoint(materialized)
    assert fork.published_path.stat().st_mtime_ns == published_before


def test_a_failing_dbt_test_fails_its_tables_check_and_the_build_says_which(fork):
    """What no reader lets through: one target row loaded twice, the copy without its confidence flag,
    and tasks placed in their area in ways no reader writes. The dbt build stops, each table's check names the
    rules that broke and how many rows each found, the tables built on them are not built (no check of
    theirs claims anything), and nothing is published."""
    with duckdb.connect(str(fork.warehouse_path)) as conn:
        conn.execute(
            "insert into raw_plans.plan_targets "
            "select * replace (null as is_low_confidence) from raw_plans.plan_targets limit 1"
        )
        for offset, placed in enumerate(["odd", "odd", "lạ", None]):
            conn.execute(
                "update raw_plans.plan_tasks set area_placed_by = ? where rowid = "
                "(select rowid from raw_plans.plan_tasks order by rowid limit 1 offset ?)",
                [placed, offset],
            )
    published_before = fork.published_path.stat().st_mtime_ns
    with dg.DagsterInstance.ephemeral() as instance:
        changed = [
            dg.AssetKey(["raw_plans", "plan_targets"]),
            dg.AssetKey(["raw_plans", "plan_tasks"]),
        ]
        selection = dg.AssetSelection.assets(*changed).downstream()
        result = build_warehouse(build_definitions(fork), instance, selection)
    assert not result.success
    dbt_tests = {
        e.asset_key.to_user_string(): e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "dbt_tests"
    }
    failed = {table: e.description for table, e in dbt_tests.items() if not e.passed}
    # _stg_plans.yml: target_code present and unique, is_low_confidence present; the one code twice is
    # 1 value found twice, the copy's flag 1 row without it
    said = (
        "dbt tests of staging/stg_plans__targets: 3 run, "
        "2 failed: not_null(is_low_confidence) (1 row), unique(target_code) (1 row)."
    )
    # _stg_plans.yml: task_code present and unique, is_low_confidence present, area_placed_by one of
    # two; two values outside them on three rows are 2 (dbt counts values), a null is none to refuse
    placed = (
        "dbt tests of staging/stg_plans__tasks: 4 run, 1 failed: accepted_values(area_placed_by) (2 rows)."
    )
    assert failed == {"staging/stg_plans__targets": said, "staging/stg_plans__tasks": placed}
    assert "main/dim_target" not in dbt_tests and "main/plan_tasks" not in dbt_tests
    summary = describe_evaluations([result], "docs").splitlines()
    assert f"Failed: {said}" in summary and f"Failed: {placed}" in summary
    assert fork.published_path.stat().st_mtime_ns == published_before
