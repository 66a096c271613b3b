"""Where the platform reads and writes: one settings object, read from the environment once.

Nothing here is set at import. The warehouse path reaches dbt as an argument of each dbt invocation
(`warehouse/project.py`, `in_warehouse`), so every process agrees on it without a shared environment.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import dagster as dg

WAREHOUSE_ENV = "CCHC_WAREHOUSE"
RAW_ENV = "CCHC_RAW"
# another set of reference data (the synthetic national roster of `cchc bench`), for the parsers and
# dbt: a folder relative to dbt/ (dbt writes each seed's SQL at the seed's path under its target, so an
# absolute path would have it overwrite the seeds themselves)
SEEDS_ENV = "CCHC_SEEDS"
# "off": the sensors and schedules start stopped (an operator turns on what they want in the UI)
AUTOMATION_ENV = "CCHC_AUTOMATION"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = PROJECT_ROOT / "pipelines"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"

# DuckDB admits one writing process at a time; with every writer in this pool (one slot, set in
# .dagster/dagster.yaml), parallel runs queue instead of failing with "Could not set lock".
WAREHOUSE_POOL = "duckdb_warehouse"
# the owner every asset declares
OWNERS = ["team:cchc-data"]


class Settings(dg.ConfigurableResource):
    """The warehouse file and the landing folder `raw/`; every other path follows from these two."""

    warehouse: str
    raw: str

    @classmethod
    def at(cls, warehouse_path: Path, raw_dir: Path) -> Settings:
        return cls(warehouse=str(warehouse_path), raw=str(raw_dir))

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse)

    @property
    def raw_dir(self) -> Path:
        return Path(self.raw)

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse_path.parent

    @property
    def published_path(self) -> Path:
        """The read-only copy BI tools open, replaced atomically after each build."""
        return self.warehouse_dir / f"{self.warehouse_path.stem}_published.duckdb"

    @property
    def quarantine_path(self) -> Path:
        """The files and rows refused at reading, with reasons: published apart, after every ingestion."""
        return self.warehouse_dir / f"{self.warehouse_path.stem}_quarantine.duckdb"

    @property
    def alerts_log(self) -> Path:
        """Every failed run, in plain text, appended (pipelines/orchestration/alerts.py)."""
        return self.warehouse_dir / "alerts.log"

    @property
    def parquet_dir(self) -> Path:
        """The `bi` views and the marts as Parquet files, rewritten after each publication."""
        return self.warehouse_dir / "parquet"

    @property
    def extracts_dir(self) -> Path:
        return self.warehouse_dir / "extracts"

    @property
    def logs_dir(self) -> Path:
        return self.warehouse_dir / "logs"

    @property
    def plans_dir(self) -> Path:
        return self.raw_dir / "plans"

    @property
    def reports_dir(self) -> Path:
        return self.raw_dir / "reports"

    @property
    def indices_dir(self) -> Path:
        return self.raw_dir / "indices"

    def archive_dir(self, kind: str) -> Path:
        """Where files of `kind` are kept as received, under their content hash."""
        return self.warehouse_dir / "archive" / kind


def seeds_dir() -> Path:
    """The reference data the parsers and dbt read: dbt/seeds, or the set CCHC_SEEDS names (dbt reads
    the same variable in dbt_project.yml, so both always see one set)."""
    chosen = os.environ.get(SEEDS_ENV)
    return DBT_PROJECT_DIR / chosen if chosen else SEEDS_DIR


def linked_seeds(folder: Path) -> str:
    """Another set of reference data as CCHC_SEEDS names it: a link inside dbt/ to `folder` (the name is
    relative to dbt/, which dbt needs), made once per folder; links to folders since removed are dropped.
    Its CSV files are its own, its seed properties the project's (`_take_seed_properties`)."""
    _take_seed_properties(folder)
    for old in DBT_PROJECT_DIR.glob(".seeds-*"):
        if not old.exists():
            old.unlink(missing_ok=True)
    link = DBT_PROJECT_DIR / f".seeds-{hashlib.sha256(str(folder).encode()).hexdigest()[:12]}"
    if not link.is_symlink():
        link.symlink_to(folder, target_is_directory=True)
    return link.name


def _take_seed_properties(folder: Path) -> None:
    """Write the project's seed properties (`_seeds.yml`: descriptions and tests) into `folder`: Dagster
    knows the tests of the manifest `make` prepared, and a set made before they changed (a bench
    workload) would otherwise have dbt report tests Dagster has never heard of."""
    for properties in SEEDS_DIR.glob("*.yml"):
        shutil.copyfile(properties, folder / properties.name)


def automation_on() -> bool:
    """Whether the sensors and schedules start running when the code location loads (the default)."""
    return os.environ.get(AUTOMATION_ENV, "on").strip().lower() not in {"off", "0", "false", "no"}


def sensor_status() -> dg.DefaultSensorStatus:
    return dg.DefaultSensorStatus.RUNNING if automation_on() else dg.DefaultSensorStatus.STOPPED


def schedule_status() -> dg.DefaultScheduleStatus:
    return dg.DefaultScheduleStatus.RUNNING if automation_on() else dg.DefaultScheduleStatus.STOPPED


def load_settings() -> Settings:
    """Read paths from the environment (relative paths are taken from the project root)."""
    warehouse = Path(os.environ.get(WAREHOUSE_ENV, "warehouse/cchc.duckdb"))
    raw = Path(os.environ.get(RAW_ENV, "raw"))
    return Settings.at(
        warehouse if warehouse.is_absolute() else PROJECT_ROOT / warehouse,
        raw if raw.is_absolute() else PROJECT_ROOT / raw,
    )
