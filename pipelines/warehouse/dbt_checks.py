"""dbt's tests as one Dagster asset check per table (`dbt_tests`), not one per test.

A full build runs 562 dbt tests on 125 tables. As one check each, Dagster writes two events per test
(planned, evaluated) into its event log before and during every build: about 1,100 events and 6 s of a
44 s build on the 2-core machine. One check per table says the same to an operator, which table's tests
failed or warned, which tests and on how many rows (in the check's metadata), in a tenth of the events.

The tests are dbt's own, declared beside their models and run by `dbt build`; only the way their
results reach Dagster changes. Because a check stands for all of its table's tests, dbt is asked for
the tests of the checks a run selected (`selection`), not for the one test dagster-dbt would map a
check to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Set
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
    return TableTests({key: tuple(tests) for key, tests in by_asset.items()}, asset_of_test)


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
        description=f"dbt's {len(tests)} tests of this table (the names and failing rows of those that "
        "did not pass are in the result's metadata).",
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
    # one value, the names between spaces, as dagster-dbt passes a selection on to dbt
    if checked == selected & with_check:
        return ["--select", " ".join(models)]
    named = [
        ".".join(manifest["nodes"][test]["fqn"]) for key in sorted(checked) for test in tests.by_asset[key]
    ]
    return ["--select", " ".join([*models, *named]), "--indirect-selection", "empty"]


@dataclass
class TableTestResults:
    """dbt's test results of one build, kept per asset until the build ends."""

    tests: TableTests
    results: dict[dg.AssetKey, list[Mapping[str, Any]]] = field(default_factory=dict)

    def take(self, raw_event: Mapping[str, Any]) -> bool:
        """Keep the event if it is a test's result (True); False for every other event."""
        if raw_event.get("info", {}).get("name") != "LogTestResult":
            return False
        data = raw_event["data"]
        asset = self.tests.asset_of_test.get(data["node_info"]["unique_id"])
        if asset is not None:
            self.results.setdefault(asset, []).append(data)
        return True

    def checks(self, selected: Iterable[dg.AssetCheckKey]) -> Iterator[dg.AssetCheckResult]:
        """One result per selected check whose tests ran: failed when a test failed or erred (at
        severity error), a warning when the worst is a warn; the tests that did not pass, with their
        failing rows, in the metadata."""
        for key in sorted(selected, key=lambda key: key.asset_key.to_user_string()):
            ran = self.results.get(key.asset_key)
            if key.name != CHECK_NAME or not ran:
                continue
            failed = sorted(result["name"] for result in ran if result["status"] in _FAILED)
            warned = sorted(result["name"] for result in ran if result["status"] == "warn")
            rows = {
                result["name"]: result.get("num_failures") or 0
                for result in ran
                if result["status"] != "pass"
            }
            yield dg.AssetCheckResult(
                asset_key=key.asset_key,
                check_name=CHECK_NAME,
                passed=not failed and not warned,
                severity=dg.AssetCheckSeverity.ERROR if failed else dg.AssetCheckSeverity.WARN,
                description=_describe(len(ran), failed, warned),
                metadata={
                    "tests_run": len(ran),
                    "failed": ", ".join(failed),
                    "warned": ", ".join(warned),
                    "failing_rows": dg.MetadataValue.json(rows),
                },
            )


def _describe(run: int, failed: list[str], warned: list[str]) -> str:
    if not failed and not warned:
        return f"dbt tests passed: {run}."
    parts = [f"{len(failed)} failed: {', '.join(failed)}"] if failed else []
    parts += [f"{len(warned)} warned: {', '.join(warned)}"] if warned else []
    return f"dbt tests: {run} run, " + "; ".join(parts) + "."
