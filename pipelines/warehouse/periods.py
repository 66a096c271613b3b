"""Facts about reporting periods, read from `dim_period` one way for every module that needs them: a
period's window, due date and label; the last period whose report was due.

The rules (cut-off windows, due dates) live in the report_kinds seed and dim_period alone; nothing here
computes a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb


@dataclass(frozen=True)
class Period:
    period_key: str
    period_label_vi: str
    report_year: int
    period_end_on: date
    cutoff_start_on: date
    cutoff_end_on: date
    is_cumulative: bool
    report_due_on: date


_COLUMNS = ", ".join(Period.__dataclass_fields__)


def period(conn: duckdb.DuckDBPyConnection, period_key: str) -> Period | None:
    """The period `period_key` names, or None when dim_period has no such period."""
    row = conn.execute(
        f"select {_COLUMNS} from main.dim_period where period_key = ?", [period_key]
    ).fetchone()
    return Period(*row) if row else None


def last_due(conn: duckdb.DuckDBPyConnection, today: date) -> str | None:
    """The last period whose report was due before `today` (None before the first due date)."""
    found = conn.execute(
        "select period_key from main.dim_period where report_due_on < ? order by report_due_on desc limit 1",
        [today],
    ).fetchone()
    return found[0] if found else None
