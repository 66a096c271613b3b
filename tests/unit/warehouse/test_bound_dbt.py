"""`cchc-dbt --warehouse PATH`: dbt runs in the warehouse's folder and still finds what it was told."""

import os
import sys

from pipelines.warehouse import bound_dbt
from pipelines.warehouse.bound_dbt import WAREHOUSE_FILE_ENV, in_warehouse


def test_the_warehouse_option_moves_dbt_to_the_warehouse_folder(monkeypatch, tmp_path):
    project = tmp_path / "dbt"
    warehouse = tmp_path / "kho" / "cchc_published.duckdb"
    project.mkdir()
    warehouse.parent.mkdir()
    monkeypatch.chdir(project)
    # a copy of the environment, so that what the wrapper sets for dbt stays in this test
    names = ("DBT_PROJECT_DIR", "DBT_PROFILES_DIR", "DBT_LOG_PATH", WAREHOUSE_FILE_ENV)
    environment = {name: value for name, value in os.environ.items() if name not in names}
    environment["DBT_TARGET_PATH"] = "target/run-1"  # named from where dbt was started
    monkeypatch.setattr(os, "environ", environment)

    left = in_warehouse(["--no-use-colors", "--warehouse", "../kho/cchc_published.duckdb", "build", "-q"])

    assert left == ["--no-use-colors", "build", "-q"]
    assert os.getcwd() == str(warehouse.parent)
    assert os.environ[WAREHOUSE_FILE_ENV] == "cchc_published.duckdb"
    assert os.environ["DBT_PROJECT_DIR"] == str(project)
    assert os.environ["DBT_PROFILES_DIR"] == str(project)
    assert os.environ["DBT_TARGET_PATH"] == str(project / "target" / "run-1")
    assert "DBT_LOG_PATH" not in os.environ


def test_without_the_option_dbt_runs_where_it_was_started(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert in_warehouse(["parse"]) == ["parse"]
    assert os.getcwd() == str(tmp_path)


def test_dbt_writes_no_log_file_unless_asked(monkeypatch):
    started = []
    monkeypatch.setattr(bound_dbt, "bind_to_parent", lambda: None)
    monkeypatch.setattr(bound_dbt.warm_dbt, "run_here", lambda arguments: None)  # no dbt server: dbt itself
    monkeypatch.setattr(os, "execv", lambda path, argv: started.append(os.environ.get("DBT_LOG_LEVEL_FILE")))
    monkeypatch.setattr(sys, "argv", ["cchc-dbt", "build"])
    for asked in (None, "debug"):
        environment = {name: value for name, value in os.environ.items() if name != "DBT_LOG_LEVEL_FILE"}
        if asked:
            environment["DBT_LOG_LEVEL_FILE"] = asked
        monkeypatch.setattr(os, "environ", environment)
        bound_dbt.main()
    assert started == ["none", "debug"]
