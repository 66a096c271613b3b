"""`cchc-dbt`: dbt, bound to the process that starts it and run in the warehouse's folder.

dagster-dbt starts dbt as a child process. Killed with SIGKILL, a run cannot end its children, and an
orphaned `dbt build` would go on holding the warehouse's write lock, so that every later run waits for
it. This wrapper asks Linux to kill it when its parent dies (PR_SET_PDEATHSIG, kept across exec), then
runs dbt: in a fork of this user's dbt server, which has imported dbt ahead (warm_dbt), else by
becoming dbt. Elsewhere it simply becomes dbt.

Its own option `--warehouse PATH` (not dbt's; taken out before dbt starts) runs dbt in the folder of the
warehouse file, which `dbt/profiles.yml` names by its file name alone. dbt re-parses the whole project
(13 s) whenever the profile's connection values or the `--vars` change, so a warehouse named by its full
path would be re-parsed in every new folder: in every fork a test makes, and in every first build.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

from pipelines.warehouse import warm_dbt

_PR_SET_PDEATHSIG = 1


def bind_to_parent() -> None:
    """Die with the parent process; exit now if it is already gone (adopted by init)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if os.getppid() == 1:
        sys.exit("cchc-dbt: the process that started dbt is gone")


WAREHOUSE_OPTION = "--warehouse"
# the file name `dbt/profiles.yml` reads, in the folder dbt runs in
WAREHOUSE_FILE_ENV = "CCHC_WAREHOUSE_FILE"
# No dbt.log: what it would hold, each node's start and outcome, is in the build's run_results.json and
# in the lines dbt prints (cchc-run.log). dbt formats every event for its file logger, debug ones too,
# before the level drops them: 1.1 s of a full build of the sample warehouse (6-7 %, medians of four),
# 1.5 s more at dbt's default of debug. DBT_LOG_LEVEL_FILE=info or debug writes it for a build being
# looked into.
FILE_LOG_LEVEL = ("DBT_LOG_LEVEL_FILE", "none")


def in_warehouse(arguments: list[str]) -> list[str]:
    """Take `--warehouse PATH` out of the arguments and move to PATH's folder, with the project, its
    profile and dbt's target and log folders still found where they were named from the folder dbt was
    started in; the arguments left are dbt's."""
    if WAREHOUSE_OPTION not in arguments:
        return arguments
    at = arguments.index(WAREHOUSE_OPTION)
    warehouse = Path(arguments[at + 1]).resolve()
    started_in = Path.cwd()
    os.environ.setdefault("DBT_PROJECT_DIR", str(started_in))
    os.environ.setdefault("DBT_PROFILES_DIR", os.environ["DBT_PROJECT_DIR"])
    for folder in ("DBT_PROJECT_DIR", "DBT_PROFILES_DIR", "DBT_TARGET_PATH", "DBT_LOG_PATH"):
        if folder in os.environ:
            os.environ[folder] = str(started_in / os.environ[folder])  # unchanged when absolute
    os.environ[WAREHOUSE_FILE_ENV] = warehouse.name
    os.chdir(warehouse.parent)
    return [*arguments[:at], *arguments[at + 2 :]]


def main() -> None:
    bind_to_parent()
    os.environ.setdefault(*FILE_LOG_LEVEL)
    arguments = in_warehouse(sys.argv[1:])
    status = warm_dbt.run_here(arguments)
    if status is not None:
        sys.exit(status)
    dbt = str(Path(sys.executable).parent / "dbt")
    os.execv(dbt, [dbt, *arguments])
