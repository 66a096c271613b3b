"""The dbt project handle, and the dbt executable every invocation uses.

The manifest is prepared ahead of time by `make` (dagster-dbt project prepare-and-package), not parsed
on every import; under `dagster dev` it is parsed again at load so that model edits show at once.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from pipelines.settings import DBT_PROJECT_DIR, Settings

# the dbt installed beside this interpreter (`.venv/bin/dagster dev` and `.venv/bin/cchc` work without
# the virtualenv on PATH), started through `cchc-dbt` so that it dies with the run that started it
DBT_EXECUTABLE = str(Path(sys.executable).parent / "cchc-dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)


def dbt_resource() -> DbtCliResource:
    # colours are for terminals; these lines go to logs and to `cchc run --verbose`
    return DbtCliResource(
        project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE, global_config_flags=["--no-use-colors"]
    )


def dbt_vars(settings: Settings) -> list[str]:
    """The `--vars` of a dbt invocation: the warehouse file, which profiles.yml reads."""
    return ["--vars", json.dumps({"warehouse_path": settings.warehouse_path.as_posix()})]


def parse_manifest() -> None:
    """Parse the project into a fresh target folder, then swap the manifest in whole, so that a
    process reading it meanwhile never sees half a file."""
    dbt_project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dbt_project.manifest_path.parent) as target:
        dbt_resource().cli(["parse", "--quiet"], target_path=Path(target)).wait()
        os.replace(Path(target) / "manifest.json", dbt_project.manifest_path)


if dbt_project.preparer.using_dagster_dev():
    parse_manifest()
