"""What a suite's run says: its failures (each a problem in words, what was observed and the first failing
rows) and the verdict. Plain data, without Great Expectations: it is given in the quality worker and read
in the build's process."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pipelines.quality.suites import Suite


@dataclass(frozen=True)
class Failure:
    expectation: str
    column: str | None
    problem: str
    observed: str
    sample: list[dict[str, Any]] = field(default_factory=list)
    is_warning: bool = False  # the expectation's GX severity is "warning": shown, does not stop the pipeline

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        rows = "".join(f"\n      {row}" for row in self.sample)
        label = "WARNING" if self.is_warning else "FAILED"
        return f"{label} {self.expectation}{where}: {self.problem} (observed: {self.observed}){rows}"


ROW_COUNT_DRIFT = "row_count_drift"
_DRIFT_PROBLEM = (
    "the row count moved outside its bounds against the last published build (row_count_drift): a warning "
    "to look at, not a stop, since removing or resubmitting files legitimately shrinks tables"
)


@dataclass(frozen=True)
class SuiteResult:
    suite: Suite
    row_count: int
    previous_row_count: int | None
    evaluated: int
    failures: tuple[Failure, ...]
    validated_rows: int  # the rows the expectations saw: all, or those of the files changed since

    @property
    def success(self) -> bool:
        """No critical expectation failed (warnings are reported, not failures)."""
        return not any(not failure.is_warning for failure in self.failures)

    def describe(self) -> str:
        rows = f"{self.row_count} rows"
        if self.validated_rows != self.row_count:
            rows += f", {self.validated_rows} of them from files not checked before"
        head = (
            f"{self.suite.name} ({self.suite.table}, {rows}): "
            f"{self.evaluated - len(self.failures)}/{self.evaluated} expectations met"
        )
        return "\n".join([head, *(f"  {failure.describe()}" for failure in self.failures)])


def row_count_drift(suite: Suite, rows: int, previous: int | None) -> Failure | None:
    """A warning when the table's row count left the suite's bounds around the last published count."""
    if previous is None:
        return None
    low = math.ceil(previous * suite.min_ratio)
    high = None if suite.max_ratio is None else math.floor(max(previous, 1) * suite.max_ratio)
    if rows >= low and (high is None or rows <= high):
        return None
    bounds = f"{low}-{high}" if high is not None else f"at least {low}"
    observed = f"{rows} rows, {previous} in the last published build (bounds {bounds})"
    return Failure(ROW_COUNT_DRIFT, None, _DRIFT_PROBLEM, observed, is_warning=True)
