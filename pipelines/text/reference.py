"""Reference data kept as dbt seeds, read by the Python parsers from the same files.

The seeds are the one home of areas, agencies, aliases and abbreviations: dbt loads them into the
warehouse, and this module hands them to the matchers, so a new alias is added once.
"""

from __future__ import annotations

import csv
from functools import cache

from pipelines.settings import seeds_dir


@cache
def read_seed(name: str) -> tuple[dict[str, str], ...]:
    """Rows of `dbt/seeds/<name>.csv` (or of the CCHC_SEEDS set) as dictionaries (empty cells are empty
    strings)."""
    with (seeds_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))
