"""The dbt project's YAML says what it means: every documented model exists and every unit test runs.

A `models:` entry without a model is only a warning to dbt, so a unit test that slips under `models:`
(a lost `unit_tests:` line) would silently stop running.
"""

import json

import yaml

from pipelines.settings import DBT_PROJECT_DIR

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
    } <= written
