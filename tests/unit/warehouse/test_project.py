"""The dbt project's YAML says what it means: every documented model exists and every unit test runs.

A `models:` entry without a model is only a warning to dbt, so a unit test that slips under `models:`
(a lost `unit_tests:` line) would silently stop running.
"""

import json
import os
import shutil
import subprocess

import pytest
import yaml

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.warehouse.dbt_assets import last_parse, made_here
from pipelines.warehouse.project import (
    DBT_EXECUTABLE,
    PARSE_MADE_HERE,
    PARTIAL_PARSE,
    PREPARED_PARSE,
    dbt_resource,
)

pytestmark = pytest.mark.long  # queued first (tests/integration/conftest.py)

MODELS = DBT_PROJECT_DIR / "models"


def _yaml_files():
    return [
        (path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in sorted(MODELS.rglob("*.yml"))
    ]


def test_every_documented_model_has_its_sql():
    sql = {path.stem for path in MODELS.rglob("*.sql")}
    for path, document in _yaml_files():
        for entry in document.get("models", []):
            assert entry["name"] in sql, f"{path.name}: '{entry['name']}' under models: has no .sql"


def test_every_unit_test_is_in_the_manifest():
    written = {entry["name"] for _, document in _yaml_files() for entry in document.get("unit_tests", [])}
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    compiled = {test["name"] for test in manifest.get("unit_tests", {}).values()}
    assert written and written == compiled
    assert {
        "fact_target_progress_statuses",
        "int_target_assignments_cascade",
        "fact_task_progress_timing",
        "mart_cchc_index_area_points",
        "mart_cchc_index_total_and_rank",
        "fact_index_target_progress_improvement",
    } <= written


def test_the_bi_views_and_the_extract_are_exposures():
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    exposures = {exposure["name"]: exposure for exposure in manifest["exposures"].values()}
    bi_views = {node["name"] for node in manifest["nodes"].values() if node["path"].startswith("bi/")}
    assert {node.split(".")[-1] for node in exposures["bi_views"]["depends_on"]["nodes"]} == bi_views
    assert "model.cchc_warehouse.mart_cchc_index" in exposures["par_trend_extract"]["depends_on"]["nodes"]


def test_the_dbt_version_known_without_starting_dbt_is_the_one_cchc_dbt_runs():
    said = subprocess.run([DBT_EXECUTABLE, "--version"], capture_output=True, text=True, check=True).stdout
    assert f"- installed: {dbt_resource()._cli_version}\n" in said


def test_a_dbt_invocation_opens_no_adapter_in_the_dagster_process(tmp_path):
    """dagster-dbt would open one per invocation (every macro loaded) for metadata this project never
    fetches; dbt itself, in its own process, still runs (its `ls` lists the models)."""
    listing = ["ls", "--resource-type", "model", "--output", "name"]
    target = tmp_path / "target"
    target.mkdir()
    # from the parse `make` prepared, as a build starts (a whole parse is some 13 s)
    shutil.copyfile(PREPARED_PARSE, target / PARTIAL_PARSE)
    invocation = dbt_resource().cli(listing, target_path=target)
    listed = {event.raw_event["info"]["msg"] for event in invocation.stream_raw_events()}
    assert invocation.adapter is None
    assert "dim_target" in listed


def _parsed_again(parse, target) -> set[str]:
    """What dbt says of the files it parses again, starting from `parse` in a new target folder."""
    target.mkdir()
    shutil.copyfile(parse, target / PARTIAL_PARSE)
    parsing = [DBT_EXECUTABLE, "--log-format", "json", "--log-level", "debug", "parse"]
    env = {**os.environ, "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target)}
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    out = subprocess.run(parsing, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=True)
    events = [json.loads(line)["info"] for line in out.stdout.splitlines() if line.startswith("{")]
    return {
        event["msg"]
        for event in events
        if event["name"] in ("PartialParsingFile", "PartialParsingSkipParsing")
    }


def test_a_new_warehouse_folder_starts_from_a_parse_made_here_and_parses_nothing_again(tmp_path):
    """`make manifest` keeps dbt's parse as dbt wrote it: the first build of a new warehouse folder
    starts from it and re-parses no file; the prepared parse beside it, for a checkout moved since, has
    dbt read every seed again."""
    assert last_parse([], PREPARED_PARSE) == PARSE_MADE_HERE and made_here(PARSE_MADE_HERE)
    assert _parsed_again(PARSE_MADE_HERE, tmp_path / "here") == {
        "Partial parsing enabled, no changes found, skipping parsing"
    }
    again = _parsed_again(PREPARED_PARSE, tmp_path / "prepared")
    seeds = {path.name for path in (DBT_PROJECT_DIR / "seeds").glob("*.csv")}
    assert {f"Partial parsing: updated file: cchc_warehouse://seeds/{name}" for name in seeds} <= again
