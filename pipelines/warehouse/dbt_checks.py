"""dbt's tests as one Dagster asset check per table (`dbt_tests`), not one per test.

A full build runs 562 dbt tests on 125 tables. As one check each, Dagster writes three events per test
(planned, output, evaluation) into its event log before and during every build: 1,686 events, about
3 s of a 50 s build on the 2-core machine. One check per table says what an operator looks for, which
table's tests failed or warned, which tests and how many rows each found (in the check's metadata and
description), in 375 events.

The tests are dbt's own, declared beside their models and run by `dbt build`; only the way their
results reach Dagster changes. Because a check stands for all of its table's tests, dbt is asked for
the tests of the checks a run selected (`selection`), not for the one test dagster-dbt would map a
check to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject
from dagster_dbt.asset_utils import get_asset_check_key_for_test

CHECK_NAME = "dbt_tests"
# the dbt result statuses of a test, as dbt prints them
_FAILED = {"fail", "error"}


@dataclass(frozen=True)
class TableTests:
    """A project's tests grouped by the asset they test (the model a generic test is attached to, or
    the one node a singular test reads)."""

    by_asset: Mapping[dg.AssetKey, tuple[str, ...]]
    asset_of_test: Mapping[str, dg.AssetKey]
    name_of_test: Mapping[str, str]


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
    names = {test: manifest["nodes"][test]["name"] for test in asset_of_test}
    return TableTests({key: tuple(tests) for key, tests in by_asset.items()}, asset_of_test, names)


def check_spec(
    asset_key: dg.AssetKey,
    manifest: Mapping[str, Any],
    translator: DagsterDbtTranslator,
    project: DbtProject | None,
    tests_by_asset: Mapping[dg.AssetKey, tuple[str, ...]],
) -> dg.AssetCheckSpec | None:
    """The one check of the asset's dbt tests: blocking when one of them is at severity error; it also
    depends on the other tables its tests read (a relationships test's parent)."""
    tests = tests_by_asset.get(asset_key)
    if not tests:
        return None
    nodes = [manifest["nodes"][test] for test in tests]
    parents = {parent for test in tests for parent in manifest["parent_map"].get(test, [])}
    deps = {translator.get_asset_spec(manifest, parent, project).key for parent in parents} - {asset_key}
    return dg.AssetCheckSpec(
        name=CHECK_NAME,
        asset=asset_key,
        description=f"dbt's {len(tests)} tests of this table (those that did not pass, and how many rows "
        "each found, are in the result's description and metadata).",
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
    per table until the build ends."""

    tests: TableTests
    checked: Set[dg.AssetKey]
    results: dict[dg.AssetKey, list[Mapping[str, Any]]] = field(default_factory=dict)

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

    def checks(self) -> Iterator[dg.AssetCheckResult]:
        """One result per checked table some of whose tests ran: passed when all passed; a warning when
        the worst is a warn; failed when one failed or erred, or did not run (dbt skips the tests of a
        table whose build, or whose parent's, failed). The tests that did not pass, with how many rows
        each found, in the description and the metadata."""
        for key in sorted(self.checked, key=lambda key: key.to_user_string()):
            ran = self.results.get(key)
            if not ran:
                continue
            names = {result["name"]: result for result in ran}
            failed = sorted(name for name, result in names.items() if result["status"] in _FAILED)
            warned = sorted(name for name, result in names.items() if result["status"] == "warn")
            reported = {result["node_info"]["unique_id"] for result in ran}
            not_run = sorted(
                self.tests.name_of_test[test] for test in self.tests.by_asset[key] if test not in reported
            )
            rows = {
                name: result.get("num_failures") or 0
                for name, result in names.items()
                if name in failed + warned
            }
            yield dg.AssetCheckResult(
                asset_key=key,
                check_name=CHECK_NAME,
                passed=not (failed or warned or not_run),
                severity=dg.AssetCheckSeverity.WARN
                if warned and not (failed or not_run)
                else dg.AssetCheckSeverity.ERROR,
                description=_describe(key, len(ran), rows, failed, warned, not_run),
                metadata={
                    "tests_run": len(ran),
                    "failed": ", ".join(failed),
                    "warned": ", ".join(warned),
                    "not_run": ", ".join(not_run),
                    "rows_found": dg.MetadataValue.json(rows),
                },
            )


def _describe(
    table: dg.AssetKey,
    run: int,
    rows: Mapping[str, int],
    failed: list[str],
    warned: list[str],
    not_run: list[str],
) -> str:
    where = f"dbt tests of {table.to_user_string()}"
    found = [f"{name} ({_rows(rows[name])})" for name in failed + warned]
    parts = [
        f"{len(names)} {label}: {', '.join(said)}"
        for label, names, said in (
            ("failed", failed, found[: len(failed)]),
            ("warned", warned, found[len(failed) :]),
            ("not run", not_run, not_run),
        )
        if names
    ]
    return f"{where}: {run} run, " + "; ".join(parts) + "." if parts else f"{where}: {run} passed."


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"
