"""The dbt project handle, and the dbt executable every invocation uses.

The manifest is prepared ahead of time by `make` (main() below, again when a dbt file changed), never
at import: `make dev` leaves dbt/target and every tracked file as it found them, and a UI started
beside a running build cannot swap the manifest under it. Restart `make dev` to see edited models.

`make manifest` runs main(): what dagster-dbt's `project prepare-and-package` did (dbt parses the project
into dbt/target, then the seeds in dbt's saved parse are marked changed, so that a parse made before the
project moved re-reads them where they are now), with two differences. The saved parse is kept first as
dbt wrote it (PARSE_MADE_HERE): the first build of each new warehouse folder starts from it while it was
made from this checkout (dbt_assets.last_parse), instead of re-parsing the 23 seeds and their tests
(0.6-0.7 s of a 3.0 s `dbt parse`). And dbt runs as every build runs it: without `dbt --version` first
(a Python process of 1.7-1.8 s), colours or a dbt.log.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from dagster._utils import run_with_concurrent_update_guard
from dagster_dbt import DbtCliResource, DbtProject
from dbt.version import __version__ as DBT_VERSION
from packaging.version import Version

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.warehouse.bound_dbt import WAREHOUSE_OPTION

if TYPE_CHECKING:
    from dbt.adapters.base import BaseAdapter

# the dbt installed beside this interpreter (`.venv/bin/dagster dev` and `.venv/bin/cchc` work without
# the virtualenv on PATH), started through `cchc-dbt` so that it dies with the run that started it
DBT_EXECUTABLE = str(Path(sys.executable).parent / "cchc-dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
PARTIAL_PARSE = "partial_parse.msgpack"
# dbt's saved parse as `make` prepared it with the manifest: every seed marked changed
PREPARED_PARSE = dbt_project.manifest_path.with_name(PARTIAL_PARSE)
# dbt's parse as `make` wrote it, kept before its seeds were marked changed (main): made here
PARSE_MADE_HERE = dbt_project.manifest_path.with_name("partial_parse_made_here.msgpack")


class InstalledDbt(DbtCliResource):
    """dbt as installed beside this interpreter. dagster-dbt asks its executable for the version (`dbt
    --version`: a Python process of 1.7 s, in every run that builds); `cchc-dbt` runs the dbt-core of
    this environment, whose version is known without starting it. dagster-dbt also opens a dbt adapter
    in the Dagster process for each invocation, loading every macro of the project (0.6 s of a full
    `cchc run` of the sample data, sampled), for the column metadata and row counts it can fetch after a
    build: this project asks for neither (the warehouse's own checks count rows), so none is opened."""

    @cached_property
    def _cli_version(self) -> Version:
        return Version(DBT_VERSION)

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> BaseAdapter | None:
        return None


def dbt_resource() -> DbtCliResource:
    # colours are for terminals; these lines go to logs and to `cchc run --verbose`
    return InstalledDbt(
        project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE, global_config_flags=["--no-use-colors"]
    )


def in_warehouse(warehouse_path: Path) -> list[str]:
    """The option of a dbt invocation that names its warehouse file (`cchc-dbt`'s own, see bound_dbt)."""
    return [WAREHOUSE_OPTION, warehouse_path.as_posix()]


def main() -> None:
    """Prepare the manifest and the saved parses (see the module's docstring), under dagster-dbt's lock
    of the manifest, as its `prepare-and-package` does: of two `make` at once, the second waits for
    the lock, finds the manifest newer and leaves it."""
    run_with_concurrent_update_guard(dbt_project.manifest_path, _prepare)


def _prepare() -> None:
    dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    made_here = PARSE_MADE_HERE.with_suffix(".partial")
    shutil.copyfile(PREPARED_PARSE, made_here)
    made_here.replace(PARSE_MADE_HERE)  # whole, for a build copying it meanwhile
    dbt_project.preparer._invalidate_seeds_in_partial_parse(dbt_project)


if __name__ == "__main__":
    main()
