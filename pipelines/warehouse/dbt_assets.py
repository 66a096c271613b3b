"""Every dbt seed and model as a Dagster asset, and each one's dbt tests as its asset check."""

import json
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import msgpack
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_dbt.asset_utils import DAGSTER_DBT_UNIQUE_ID_METADATA_KEY as UNIQUE_ID
from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets
from dagster_duckdb import DuckDBResource

from pipelines.landing.ledger import RawTables
from pipelines.settings import OWNERS, WAREHOUSE_POOL, Settings
from pipelines.warehouse import builds, dbt_checks, kept_views
from pipelines.warehouse.project import (
    PARSE_MADE_HERE,
    PARTIAL_PARSE,
    PREPARED_PARSE,
    dbt_project,
    in_warehouse,
)

WAREHOUSE_GROUP = "warehouse"
# dbt's artifacts and log of the last few builds are kept (about 5 MB each) for whoever looks into one
KEPT_DBT_RUNS = 5
_ROOT_PATH = msgpack.packb("root_path")  # a node's project folder, as a key in dbt's saved parse


# the dbt project's folders as the UI's asset groups: seeds are the reference data
DBT_GROUPS = ("reference", "staging", "intermediate", "marts", "bi")


def dbt_group(node: Mapping[str, Any]) -> str:
    """The asset group of a dbt node: `reference` for a seed, else its folder under models/."""
    if node.get("resource_type") == "seed":
        return "reference"
    folder = node.get("fqn", [None, None])[1]
    return folder if folder in DBT_GROUPS else WAREHOUSE_GROUP


class CchcDbtTranslator(DagsterDbtTranslator):
    """Puts each dbt resource in the group of its folder (reference, staging, intermediate, marts, bi)
    with the team as owner; a dbt source keeps the default key [schema, table], which is the key of the
    raw asset that loads it. A table's dbt tests are one asset check (pipelines.warehouse.dbt_checks)."""

    def __init__(self) -> None:
        super().__init__()
        self._tests: dict[int, dbt_checks.TableTests] = {}
        self._checks: dict[tuple[int, dg.AssetKey], dg.AssetCheckSpec | None] = {}

    def tests(self, manifest: Mapping[str, Any], project: DbtProject | None) -> dbt_checks.TableTests:
        """The manifest's tests by the asset they test, worked out once per manifest."""
        if id(manifest) not in self._tests:
            self._tests[id(manifest)] = dbt_checks.tests_of(manifest, self, project)
        return self._tests[id(manifest)]

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        # asked once per test of the asset: the one spec of them all, made once per manifest
        memo = (id(manifest), asset_spec.key)
        if memo not in self._checks:
            tests = self.tests(manifest, project)
            self._checks[memo] = dbt_checks.check_spec(asset_spec.key, manifest, self, project, tests)
        return self._checks[memo]

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest.get("nodes", {}).get(unique_id, {})
        return spec.replace_attributes(group_name=dbt_group(node), owners=OWNERS)


TRANSLATOR = CchcDbtTranslator()


class DbtBuildConfig(dg.Config):
    """`full_refresh` rebuilds the incremental models whole (dbt's --full-refresh) and makes the views
    again, as `cchc run --full` asks; a build does it anyway when the incremental models were not last
    rebuilt whole by this project version (a new warehouse, a change to the project, a rollback, a full
    build that did not finish)."""

    full_refresh: bool = False


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=TRANSLATOR,
    pool=WAREHOUSE_POOL,
)
def cchc_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    duckdb: DuckDBResource,
    settings: Settings,
    raw_tables: dg.ResourceParam[RawTables],
    config: DbtBuildConfig,
) -> Iterator[Any]:
    """dbt build: seeds, staging, intermediate and marts, each table's tests as its check. dbt's unit
    tests test the SQL, not the data: they run in `make test` (tests/integration/test_dbt_unit_tests.py),
    not in every build. Unless the build is a full one, the incremental models add only what changed
    and the views are left as they are (kept_views), their tests run."""
    manifest, translator, project = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    assets = {key: spec.metadata[UNIQUE_ID] for key, spec in context.assets_def.specs_by_key.items()}
    selected = context.selected_asset_keys
    with duckdb.get_connection() as conn:
        raw_tables.ensure(conn)
        full = config.full_refresh or not builds.incremental_models_current(conn)
        started = builds.begin_build(conn, raw_tables.ledgers, full=full)
        views = set() if full else kept_views.current_views(conn, manifest, assets, selected)
    # a build of views alone makes them (else dbt would be left nothing to do)
    kept = views if selected - views else set()
    target = dbt_target_path(settings.logs_dir / "dbt", context.run.run_id, PREPARED_PARSE)
    tests = translator.tests(manifest, project)
    checked = {key.asset_key for key in context.selected_asset_check_keys}
    build = ["build", "--exclude-resource-type", "unit_test", *in_warehouse(settings.warehouse_path)]
    build += dbt_checks.selection(manifest, tests, assets=assets, selected=selected - kept, checked=checked)
    build += ["--full-refresh"] if full else []
    # without the context, dagster-dbt leaves the selection to us: it would map a check to one test
    invocation = dbt.cli(build, manifest=manifest, dagster_dbt_translator=translator, target_path=target)
    results = dbt_checks.TableTestResults(tests, checked)
    kept_outputs = kept_views.KeptOutputs(kept, context.assets_def, selected)
    try:
        yield from kept_outputs.after()
        for event in invocation.stream_raw_events():
            # a table's check once all its tests passed and its output was given
            if results.take(event.raw_event):
                yield from results.passed_now(kept_outputs.given)
                continue
            for output in event.to_default_asset_events(manifest, translator, context, target, project):
                yield output
                yield from kept_outputs.after(output)
                yield from results.passed_now(kept_outputs.given)
        kept_outputs.check_all_given()
    except Exception:
        # a failed build raises at its end: the checks still say which rules failed or did not run
        yield from _checks(results, target, duckdb, dbt_ended=invocation.process.poll() is not None)
        raise
    yield from _checks(results, target, duckdb, dbt_ended=True)
    # a failed dbt build raised above: what it built is noted only when it succeeded
    with duckdb.get_connection() as conn:
        builds.end_build(
            conn,
            raw_tables.ledgers,
            started=started,
            manifest=json.loads(dbt_project.manifest_path.read_text(encoding="utf-8")),
            built=_nodes_run(target) | {assets[key] for key in kept},
            published=settings.published_path,
            full=full,
        )


def _checks(
    results: dbt_checks.TableTestResults, target: Path, duckdb: DuckDBResource, *, dbt_ended: bool
) -> Iterator[dg.AssetCheckResult]:
    """The checks of the build's tests, with the rules that broke asked of the warehouse when a
    `column_checks` test failed or warned, once dbt has ended (it holds the write lock while it runs;
    the checks then name the test and its count)."""
    found: dict[str, dict[str, int]] = {}
    broken = results.broken_column_checks()
    if broken and dbt_ended:
        with duckdb.get_connection() as conn:
            found = dbt_checks.rules_found(conn, target / "run_results.json", broken)
    yield from results.checks(found)


def _nodes_run(target: Path) -> set[str]:
    """The dbt nodes the build in `target` ran (its run_results.json)."""
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {result["unique_id"] for result in results}


def _previous_runs(runs_dir: Path) -> list[Path]:
    """The folders of the kept builds' dbt artifacts, the oldest first."""
    return sorted(runs_dir.iterdir(), key=lambda path: path.stat().st_mtime) if runs_dir.is_dir() else []


def last_parse(previous: list[Path], prepared_parse: Path) -> Path | None:
    """The saved parse a new build starts from: dbt re-parses only what changed when it finds the last
    parse in its target (2.5 s less per build). The last of the `previous` builds' (_previous_runs) made
    from this checkout's project (made_here); else (a new warehouse folder, or the project moved since)
    dbt's parse as `make manifest` wrote it (project.PARSE_MADE_HERE) while it was made here, or the
    one prepared with the manifest, whose seeds dbt reads again."""
    kept = (p / PARTIAL_PARSE for p in reversed(previous) if (p / PARTIAL_PARSE).is_file())
    reparsed = prepared_parse.with_name(PARSE_MADE_HERE.name)
    first = reparsed if reparsed.is_file() and made_here(reparsed) else prepared_parse
    return next((parse for parse in kept if made_here(parse)), first if first.is_file() else None)


def made_here(parse: Path) -> bool:
    """Was every node of this saved parse made from this checkout's dbt project? dbt keeps each node's
    project folder in it (`root_path`) and, when no file changed, goes on from it without looking at
    that folder again: a parse made where the project was before (a release folder since removed,
    another clone) had the seeds loaded from there, and as each build passes its parse on to the next,
    every build of the warehouse failed loading them, for good. A build after the move that re-parsed a
    changed file gives a parse with both folders: not made here either."""
    try:
        data = parse.read_bytes()
    except OSError:
        return False
    return data.count(_ROOT_PATH) == data.count(_ROOT_PATH + msgpack.packb(str(dbt_project.project_dir)))


def next_build_parse(settings: Settings) -> Path | None:
    """The saved parse the next build of `settings`' warehouse starts from (warm_dbt decodes it ahead);
    None when it cannot be told (a build removing old folders meanwhile): the build decodes its own."""
    try:
        previous = _previous_runs(settings.logs_dir / "dbt")
        return last_parse(previous, PREPARED_PARSE)
    except OSError:
        return None


def dbt_target_path(runs_dir: Path, run_id: str, prepared_parse: Path) -> Path:
    """The folder for this build's dbt artifacts and log, under the warehouse's logs, holding the saved
    parse it starts from (last_parse); the oldest are removed beyond KEPT_DBT_RUNS, so that builds every
    few minutes do not fill the disk (dagster-dbt's default, a new folder in dbt/target per invocation,
    is never cleaned)."""
    previous = _previous_runs(runs_dir)
    target = runs_dir / run_id
    parse = last_parse(previous, prepared_parse)
    if parse is not None:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(parse, target / PARTIAL_PARSE)
    for old in previous[: max(len(previous) - (KEPT_DBT_RUNS - 1), 0)]:
        shutil.rmtree(old, ignore_errors=True)
    return target
