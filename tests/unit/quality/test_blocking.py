"""Only platform invariants stop publication: every blocking dbt test and every critical expectation of a
blocking suite is covered by a rule of expectations/blocking.yml that says why data cannot break it, and
every rule still covers something."""

import json
from fnmatch import fnmatch
from pathlib import Path

import yaml

from pipelines.quality.suites import all_suites
from pipelines.settings import EXPECTATIONS_DIR
from pipelines.warehouse.dbt_checks import rules_of
from pipelines.warehouse.project import dbt_project

RULES = yaml.safe_load((EXPECTATIONS_DIR / "blocking.yml").read_text(encoding="utf-8"))


def _matches(rule: dict, check: dict[str, str | None]) -> bool:
    """A check is covered when each of the rule's keys lists a pattern its value matches."""
    keys = {"layers": "layer", "models": "model", "columns": "column", "tests": "test",
            "suites": "suite", "expectations": "expectation"}  # fmt: skip
    return all(
        any(fnmatch(check[field] or "", pattern) for pattern in rule[key])
        for key, field in keys.items()
        if key in rule
    )


def _blocking_dbt_tests() -> list[dict[str, str | None]]:
    """Each rule of each test at severity error: a `column_checks` test's rules one by one, as if each
    were the test of its own it stands for."""
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    checks = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or node["config"]["severity"].lower() != "error":
            continue
        attached = manifest["nodes"].get(node.get("attached_node") or "", {})
        path = attached.get("original_file_path", "")
        checks += [
            {
                "test": rule.test,
                "layer": "seed" if attached.get("resource_type") == "seed" else path.split("/")[1],
                "model": attached.get("name"),
                "column": rule.column,
                "id": f"{node['unique_id']}: {rule.label}",
            }
            for rule in rules_of(node)
        ]
    return checks


def _blocking_expectations() -> list[dict[str, str | None]]:
    return [
        {
            "suite": suite.name,
            "expectation": expectation["type"],
            "column": expectation["kwargs"].get("column"),
            "id": f"{suite.name}: {expectation['type']} {expectation['kwargs'].get('column', '')}",
        }
        for suite in all_suites()
        if suite.blocking
        for expectation in suite.expectations
        if expectation.get("severity", "critical") == "critical"
    ]


def test_every_blocking_dbt_test_says_why_data_cannot_break_it():
    checks = _blocking_dbt_tests()
    assert len(checks) > 300  # the manifest was read, with its tests
    assert [check["id"] for check in checks if not any(_matches(rule, check) for rule in RULES["dbt"])] == []


def test_every_blocking_expectation_says_why_data_cannot_break_it():
    checks = _blocking_expectations()
    assert len(checks) > 30
    assert [check["id"] for check in checks if not any(_matches(rule, check) for rule in RULES["gx"])] == []


def test_every_rule_still_covers_a_blocking_check():
    dbt, gx = _blocking_dbt_tests(), _blocking_expectations()
    idle = [rule["reason"][:60] for rule in RULES["dbt"] if not any(_matches(rule, check) for check in dbt)]
    idle += [rule["reason"][:60] for rule in RULES["gx"] if not any(_matches(rule, check) for check in gx)]
    assert idle == []


def test_a_rule_data_can_break_is_a_warning_not_a_stop():
    # a published index file's own figures (a rank, a score) are shown when odd, never a stop
    index_scores = [check for check in _blocking_expectations() if check["suite"] == "fact_index_score"]
    assert [check["column"] for check in index_scores if check["expectation"].endswith("_between")] == []
    blocking = {check["test"] for check in _blocking_dbt_tests()}
    assert "every_component_is_catalogued" not in blocking
