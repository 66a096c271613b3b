"""The suites in expectations/ are GX Core 1.x suites that guard real tables, each failure explained."""

import json

import great_expectations as gx
import pytest

from pipelines.quality.suites import all_suites
from pipelines.settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR

SUITES = all_suites()


def test_every_suite_file_is_read():
    assert {suite.path.name for suite in SUITES} == {path.name for path in EXPECTATIONS_DIR.glob("*.json")}
    assert len(SUITES) >= 10


@pytest.mark.parametrize("suite", SUITES, ids=lambda suite: suite.name)
def test_a_suite_guards_a_dbt_model_and_explains_each_expectation(suite):
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    models = {
        (node["schema"], node["alias"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    assert tuple(suite.table.split(".")) in models
    assert suite.key, "failing rows are named by the key"
    assert all(expectation["meta"]["problem"] for expectation in suite.expectations)
    # the row count is an aggregate, checked in SQL on the whole table (results.row_count_drift)
    assert not any(e["type"] == "expect_table_row_count_to_be_between" for e in suite.expectations)
    # GX accepts the file as a suite: every type and argument is known
    built = gx.ExpectationSuite(name=suite.name, expectations=[dict(e) for e in suite.expectations])
    assert len(built.expectations) == len(suite.expectations)


def test_the_issue_s_rules_are_all_expressed():
    by_table = {suite.table: {e["type"] for e in suite.expectations} for suite in SUITES}
    facts = by_table["main.fact_target_progress"]
    assert {"expect_compound_columns_to_be_unique", "expect_column_pair_values_to_be_equal"} <= facts
    columns = {e["kwargs"].get("column") for suite in SUITES for e in suite.expectations}
    assert {"is_in_target_years", "is_statutory_period", "issuer_status", "actual_value"} <= columns
