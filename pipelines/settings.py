"""Project paths, configured from the environment once.

The warehouse path is defined here and nowhere else: dbt's profiles.yml reads the same
`CCHC_WAREHOUSE` variable, which this module sets when it is absent so that every dbt process
started from Python (dagster-dbt, tests) writes to the same file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

WAREHOUSE_ENV = "CCHC_WAREHOUSE"
RAW_ENV = "CCHC_RAW"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


@dataclass(frozen=True)
class Settings:
    """Where the pipeline reads and writes."""

    warehouse_path: Path
    raw_dir: Path

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse_path.parent

    @property
    def published_path(self) -> Path:
        """The read-only copy BI tools open, replaced atomically after each build."""
        return self.warehouse_dir / f"{self.warehouse_path.stem}_published.duckdb"

    @property
    def extracts_dir(self) -> Path:
        return self.warehouse_dir / "extracts"


def load_settings() -> Settings:
    """Read paths from the environment (relative paths are taken from the project root)."""
    warehouse = Path(os.environ.get(WAREHOUSE_ENV, "warehouse/cchc.duckdb"))
    raw = Path(os.environ.get(RAW_ENV, "raw"))
    settings = Settings(
        warehouse_path=warehouse if warehouse.is_absolute() else PROJECT_ROOT / warehouse,
        raw_dir=raw if raw.is_absolute() else PROJECT_ROOT / raw,
    )
    os.environ[WAREHOUSE_ENV] = str(settings.warehouse_path)
    return settings
