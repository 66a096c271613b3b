"""dbt's tests as one Dagster asset check per table (`dbt_tests`), not one per test.

A full build checks 562 rules on 125 tables. As one check each, Dagster writes three events per rule
(planned, output, evaluation) into its event log before and during every build: 1,686 events, about
3 s of a 50 s build on the 2-core machine. One check per table says what an operator looks for, which
table's rules failed or warned, which rules and how many rows each found (in the check's metadata and
description), in 375 events.

The tests are dbt's, declared with their models and run by `dbt build`. A table's not_null, unique
and accepted_values rules are one test, `column_checks` (dbt/macros/tests/column_checks.sql), since
dbt spends more on each test node than on its query; relationships stay tests of their own (a test that
reads several tables holds back only what is built on all of them). 230 tests, 125 of them
`column_checks`, hold the 562 rules. A check counts rules, not tests, and names the rules that failed:
the rows a `column_checks` test returns when it fails (`rules_found`). Because a check stands for all
of its table's tests, dbt is asked for the tests of the checks a run selected (`selection`), not for the
one test dagster-dbt would map a check to.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtProject
from dagster_dbt.asset_utils import get_asset_check_key_for_test

CHECK_NAME = "dbt_tests"
# the dbt result statuses of a test, as dbt prints them
_FAILED = {"fail", "error"}
# the generic test that holds a table's plain column rules (dbt/macros/tests/column_checks.sql)
COLUMN_CHECKS = "column_checks"


class Rule(NamedTuple):
    """One rule a dbt test checks: the test it would be on its own (not_null, unique_together, a
    singular test's name), the column it reads if one, and its label in a check's description."""

    test: str
    column: str | None
    label: str


def rules_of(node: Mapping[str, Any]) -> tuple[Rule, ...]:
    """The rules of a test node: each of a `column_checks` test's, labelled as the test's SQL names
    them (`not_null(column)`, `unique(column)`, `accepted_values(column)`); any other test is one rule,
    labelled with its name."""
    metadata = node.get("test_metadata") or {}
    kwargs = metadata.get("kwargs") or {}
    if not _is_column_checks(node):
        return (Rule(metadata.get("name") or node["name"], kwargs.get("column_name"), node["name"]),)
    return tuple(
        Rule(test, column, f"{test}({column})")
        for test, columns in (
            ("not_null", kwargs.get("not_null", [])),
            ("unique", kwargs.get("unique", [])),
            ("accepted_values", list(kwargs.get("accepted_values", {}))),
        )
        for column in columns
    )


def _is_column_checks(node: Mapping[str, Any]) -> bool:
    return (node.get("test_metadata") or {}).get("name") == COLUMN_CHECKS


@dataclass(frozen=True)
class TableTests:
    """A project's tests grouped by the asset they test (the model a generic test is attached to, or
    the one node a singular test reads)."""

    by_asset: Mapping[dg.AssetKey, tuple[str, ...]]
    asset_of_test: Mapping[str, dg.AssetKey]
    rules_of_test: Mapping[str, tuple[Rule, ...]]
    column_checks: Set[str]


def tests_of(
    manifest: Mapping[str, Any], translator: DagsterDbtTranslator, project: DbtProject | None
) -> TableTests:
    """Every test of the manifest under the asset it tests; a test that names no single asset raises
    (give it `meta: {dagster: {ref: {name: <model>}}}`): its result would otherwise reach no check."""
    by_asset: dict[dg.AssetKey, list[str]] = {}
    asset_of_test: dict[str, dg.AssetKey] = {}
    for unique_id in sorted(node for node in manifest["nodes"] if node.startswith("test.")):
        key = get_asset_check_key_for_test(manifest, translator, unique_id, project)
        if key is None:
            raise ValueError(f"dbt test {unique_id} reads several models: name the one it tests in its meta")
        by_asset.setdefault(key.asset_key, []).append(unique_id)
        asset_of_test[unique_id] = key.asset_key
    rules = {test: rules_of(manifest["nodes"][test]) for test in asset_of_test}
    column_checks = {test for test in asset_of_test if _is_column_checks(manifest["nodes"][test])}
    return TableTests(
        {key: tuple(tests) for key, tests in by_asset.items()}, asset_of_test, rules, column_checks
    )


def check_spec(
    asset_key: dg.AssetKey,
    manifest: Mapping[str, Any],
    translator: DagsterDbtTranslator,
    project: DbtProject | None,
    table_tests: TableTests,
) -> dg.AssetCheckSpec | None:
    """The one check of the asset's dbt tests: blocking when one of them is at severity error; it also
    depends on the other tables its tests read (a relationships test's parent)."""
    tests = table_tests.by_asset.get(asset_key)
    if not tests:
        return None
    nodes = [manifest["nodes"][test] for test in tests]
    rules = sum(len(table_tests.rules_of_test[test]) for test in tests)
    parents = {parent for test in tests for parent in manifest["parent_map"].get(test, [])}
    deps = {translator.get_asset_spec(manifest, parent, project).key for parent in parents} - {asset_key}
    return dg.AssetCheckSpec(
        name=CHECK_NAME,
        asset=asset_key,
        description=f"dbt's {_count(rules, 'rule')} of this table, in {_count(len(tests), 'test')} (the "
        "rules that did not pass, and how many rows each found, are in the result's description and "
        "metadata).",
        additional_deps=sorted(deps, key=lambda key: key.to_user_string()),
        blocking=any((node["config"].get("severity") or "error").lower() == "error" for node in nodes),
    )


def selection(
    manifest: Mapping[str, Any],
    tests: TableTests,
    *,
    assets: Mapping[dg.AssetKey, str],
    selected: Set[dg.AssetKey],
    checked: Set[dg.AssetKey],
) -> list[str]:
    """dbt's selection arguments for a run of the `assets` (key → dbt unique id) that selected some of
    them and the checks of some: none for all of them with all their checks; else the selected models
    with, by dbt's eager indirect selection, their tests when every selected model comes with its check
    and no check comes alone; else the selected models and the tests of the selected checks, named one
    by one."""
    with_check = set(tests.by_asset) & set(assets)
    if selected == set(assets) and checked == with_check:
        return []
    models = [".".join(manifest["nodes"][assets[key]]["fqn"]) for key in sorted(selected)]
    # one value, the names between spaces, as dagster-dbt passes a selection on to dbt; the indirect
    # selection always named, so that DBT_INDIRECT_SELECTION in the environment cannot change it
    if checked == selected & with_check:
        return ["--select", " ".join(models), "--indirect-selection", "eager"]
    named = [
        ".".join(manifest["nodes"][test]["fqn"]) for key in sorted(checked) for test in tests.by_asset[key]
    ]
    return ["--select", " ".join([*models, *named]), "--indirect-selection", "empty"]


@dataclass
class TableTestResults:
    """dbt's test results of one build for the tables whose check the run selected (`checked`), kept
    per table until its check is given: as soon as every test of a table has passed (`passed_now`),
    else when the build ends (`checks`)."""

    tests: TableTests
    checked: Set[dg.AssetKey]
    results: dict[dg.AssetKey, list[Mapping[str, Any]]] = field(default_factory=dict)
    given: set[dg.AssetKey] = field(default_factory=set)

    def take(self, raw_event: Mapping[str, Any]) -> bool:
        """Keep the event if it is the result of a test of a checked table (True). Any other event is
        left to dagster-dbt (False), among them a test dbt's eager selection ran for a table the run
        did not select: dagster-dbt records it as an observation of the tables it reads."""
        if raw_event.get("info", {}).get("name") != "LogTestResult":
            return False
        data = raw_event["data"]
        asset = self.tests.asset_of_test.get(data["node_info"]["unique_id"])
        if asset not in self.checked:
            return False
        self.results.setdefault(asset, []).append(data)
        return True

    def broken_column_checks(self) -> list[str]:
        """The `column_checks` tests that failed or warned (not those whose query erred): their rows say
        which rules broke."""
        return sorted(
            result["node_info"]["unique_id"]
            for ran in self.results.values()
            for result in ran
            if result["status"] in {"fail", "warn"}
            and result["node_info"]["unique_id"] in self.tests.column_checks
        )

    def passed_now(self, recorded: Set[dg.AssetKey]) -> Iterator[dg.AssetCheckResult]:
        """The checks, not given yet, of the tables Dagster has recorded in this build (`recorded`) whose
        every test has reported and passed: given while dbt goes on, so that Dagster stores them
        meanwhile rather than after it ends (34 checks of a national new-report build, 0.6 s). A table
        with a rule that broke waits for the end, when its rows can be counted in the warehouse dbt
        holds while it runs."""
        for key in sorted(self.checked & recorded - self.given, key=_name):
            ran = self.results.get(key, [])
            reported = {test["node_info"]["unique_id"] for test in ran}
            if reported == set(self.tests.by_asset[key]) and all(test["status"] == "pass" for test in ran):
                result = self._check(key, ran, {})
                self.given.add(key)  # once made: a check that failed to be made is given at the end
                yield result

    def checks(self, found: Mapping[str, Mapping[str, int]] | None = None) -> Iterator[dg.AssetCheckResult]:
        """One result per checked table some of whose tests ran, but those given already: passed when all
        passed; a warning when the worst is a warn; failed when one failed or erred, or did not run (dbt
        skips the tests of a table whose build, or whose parent's, failed). The rules that did not pass,
        with how many rows each found, in the description and the metadata: a `column_checks` test's as
        `found` says (test → rule → rows, from `rules_found`), else the test's own, with its count or that
        its query erred."""
        for key in sorted(self.checked - self.given, key=_name):
            ran = self.results.get(key)
            if ran:
                yield self._check(key, ran, found or {})

    def _check(
        self, key: dg.AssetKey, ran: list[Mapping[str, Any]], found: Mapping[str, Mapping[str, int]]
    ) -> dg.AssetCheckResult:
        failed: dict[str, int | None] = {}
        warned: dict[str, int | None] = {}
        for result in ran:
            if result["status"] not in _FAILED | {"warn"}:
                continue
            own = None if result["status"] == "error" else result.get("num_failures") or 0
            said = found.get(result["node_info"]["unique_id"]) or {result["name"]: own}
            (failed if result["status"] in _FAILED else warned).update(said)
        failed, warned = dict(sorted(failed.items())), dict(sorted(warned.items()))
        reported = {result["node_info"]["unique_id"] for result in ran}
        not_run = sorted(
            rule.label
            for test in self.tests.by_asset[key]
            if test not in reported
            for rule in self.tests.rules_of_test[test]
        )
        # a test whose query erred evaluated none of its rules
        rules_run = sum(
            len(self.tests.rules_of_test[result["node_info"]["unique_id"]])
            for result in ran
            if result["status"] != "error"
        )
        return dg.AssetCheckResult(
            asset_key=key,
            check_name=CHECK_NAME,
            passed=not (failed or warned or not_run),
            severity=dg.AssetCheckSeverity.WARN
            if warned and not (failed or not_run)
            else dg.AssetCheckSeverity.ERROR,
            description=_describe(key, rules_run, failed, warned, not_run),
            metadata={
                "rules_run": rules_run,
                "failed": ", ".join(failed),
                "warned": ", ".join(warned),
                "not_run": ", ".join(not_run),
                "rows_found": dg.MetadataValue.json({**failed, **warned}),
            },
        )


def rules_found(
    conn: duckdb.DuckDBPyConnection, run_results: Path, tests: list[str]
) -> dict[str, dict[str, int]]:
    """Which rules of the failed or warned `column_checks` tests broke and on how many rows: their
    query, as the build that ran them compiled it (its run_results.json), run again. A test whose query
    cannot be had or run again is left out (its check names the test and its count)."""
    if not run_results.is_file():
        return {}
    compiled = {
        result["unique_id"]: result.get("compiled_code")
        for result in json.loads(run_results.read_text(encoding="utf-8"))["results"]
    }
    found = {}
    for test in tests:
        if not compiled.get(test):
            continue
        try:
            rows = conn.execute(f"select rule, failing from ({compiled[test]}) as broken").fetchall()
        except duckdb.Error:
            continue
        found[test] = {str(rule): int(failing) for rule, failing in rows}
    return found


def _describe(
    table: dg.AssetKey,
    run: int,
    failed: Mapping[str, int | None],
    warned: Mapping[str, int | None],
    not_run: list[str],
) -> str:
    where = f"dbt tests of {table.to_user_string()}"
    parts = [
        f"{len(said)} {label}: {', '.join(said)}"
        for label, said in (
            ("failed", [f"{rule} ({_found(rows)})" for rule, rows in failed.items()]),
            ("warned", [f"{rule} ({_found(rows)})" for rule, rows in warned.items()]),
            ("not run", not_run),
        )
        if said
    ]
    return f"{where}: {run} run, " + "; ".join(parts) + "." if parts else f"{where}: {run} passed."


def _name(key: dg.AssetKey) -> str:
    return key.to_user_string()


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _found(rows: int | None) -> str:
    """What a rule found: its rows, or that its query failed (None)."""
    return "error" if rows is None else _count(rows, "row")
