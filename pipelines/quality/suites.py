"""The expectation suites kept as files in expectations/, one per guarded table.

Each file is a GX Core 1.x suite (name, expectations) whose `meta` says what it guards:

- `table`: the warehouse table or view (`schema.name`), the one the next asset reads;
- `batch_query` (optional): the rows validated, when a rule needs columns the table does not hold (a
  join to the period's year, the status the values call for); it must select every row of `table`;
- `key`: columns that name a failing row in the check's metadata (required);
- `row_count_drift`: bounds on the row count as a ratio of the last published build's (checked in SQL on
  the whole table: an aggregate, not a rule of rows);
- `changed_rows` (optional): `column` names the file a row came from and `files` the ledger table of those
  files (`source_file`, `ingested_at`): a build then validates only the rows of the files the suite has
  not passed yet (quality.changed). Such a suite holds rules of single rows only, and uniqueness rules
  that include that column, so that what holds in the changed rows holds in the table;
- `blocking`: whether a failure stops the assets downstream.

Each expectation's `meta.problem` says in a sentence what a failure means.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipelines.settings import EXPECTATIONS_DIR

# a pandas row condition names columns beside quoted values and a few words of its own
_QUOTED = re.compile(r'"[^"]*"')
_IDENTIFIER = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
_CONDITION_WORDS = {"in", "not", "and", "or", "True", "False", "None"}


# what a suite validating only the changed rows may hold: rules of one row at a time, and uniqueness
# within the file a row came from (the column must be part of the key)
_ROW_RULES = {
    "expect_column_values_to_be_between",
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_match_regex",
    "expect_column_pair_values_a_to_be_greater_than_b",
    "expect_column_pair_values_to_be_equal",
}
_UNIQUENESS = {
    "expect_column_values_to_be_unique": "column",
    "expect_compound_columns_to_be_unique": "column_list",
}


@dataclass(frozen=True)
class ChangedRows:
    column: str  # the file a row of the table came from
    files: str  # schema.table of the ledger of those files: source_file, ingested_at


@dataclass(frozen=True)
class Suite:
    name: str
    table: str  # schema.name
    batch_query: str
    key: tuple[str, ...]
    min_ratio: float
    max_ratio: float | None
    blocking: bool
    expectations: tuple[dict[str, Any], ...]
    path: Path
    changed_rows: ChangedRows | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the expectations read (and the key naming failing rows): the batch holds only
        these, so a national table of millions of rows is not pulled whole into pandas."""
        found = list(self.key) + ([self.changed_rows.column] if self.changed_rows else [])
        for expectation in self.expectations:
            kwargs = expectation.get("kwargs", {})
            found += [kwargs[name] for name in ("column", "column_A", "column_B") if name in kwargs]
            found += kwargs.get("column_list", [])
            found += _IDENTIFIER.findall(_QUOTED.sub("", kwargs.get("row_condition", "")))
        return tuple(dict.fromkeys(name for name in found if name not in _CONDITION_WORDS))

    @property
    def column_query(self) -> str:
        """The batch: the suite's columns of every row of `batch_query`."""
        selected = ", ".join(f'"{name}"' for name in self.columns)
        return f"select {selected} from ({self.batch_query}) as batch"

    def rows_of(self, query: str, files: str | None) -> str:
        """`query` over every row, or over the rows of the files the relation `files` names."""
        if files is None or self.changed_rows is None:
            return query
        return (
            f'select * from ({query}) as rows where "{self.changed_rows.column}" in (select * from {files})'
        )

    @property
    def asset_key_path(self) -> list[str]:
        """The dagster-dbt asset key of the table: [schema, name]."""
        return self.table.split(".")


def _changed_rows(name: str, meta: dict[str, Any], expectations: list[dict[str, Any]]) -> ChangedRows | None:
    if "changed_rows" not in meta:
        return None
    changed = ChangedRows(meta["changed_rows"]["column"], meta["changed_rows"]["files"])
    for expectation in expectations:
        kind = expectation["type"]
        if kind in _ROW_RULES:
            continue
        if kind not in _UNIQUENESS:
            raise ValueError(
                f"Suite {name}: {kind} is not a rule of single rows, so it cannot be checked on the changed "
                "rows alone (changed_rows): check it in SQL or in a suite of its own"
            )
        columns = expectation["kwargs"][_UNIQUENESS[kind]]
        if changed.column not in ([columns] if isinstance(columns, str) else columns):
            raise ValueError(
                f"Suite {name}: {kind} on {columns} leaves out {changed.column}, so it cannot be checked on "
                "the changed rows alone (changed_rows)"
            )
    return changed


def read_suite(path: Path) -> Suite:
    document = json.loads(path.read_text(encoding="utf-8"))
    meta = document["meta"]
    drift = meta.get("row_count_drift", {})
    return Suite(
        name=document["name"],
        table=meta["table"],
        batch_query=meta.get("batch_query") or f"select * from {meta['table']}",
        key=tuple(meta["key"]),
        min_ratio=float(drift.get("min_ratio", 0.0)),
        max_ratio=float(drift["max_ratio"]) if drift.get("max_ratio") is not None else None,
        blocking=bool(meta.get("blocking", True)),
        expectations=tuple(document["expectations"]),
        path=path,
        changed_rows=_changed_rows(document["name"], meta, document["expectations"]),
    )


@cache
def all_suites(directory: Path = EXPECTATIONS_DIR) -> tuple[Suite, ...]:
    return tuple(read_suite(path) for path in sorted(directory.glob("*.json")))
