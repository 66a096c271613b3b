"""Tasks of an appendix that no area heading covers (OCR misread the heading, or the table lost it),
placed rather than refused, and flagged for a person to check.

A run of such tasks is placed by its neighbours when the headings around it leave one area out: the
appendix's areas follow their numerals (I. Cải cách thể chế … VII. Công tác chỉ đạo), so a run before
"II. Cải cách thủ tục hành chính" with nothing before it is area I, a run between areas III and V is
IV. Otherwise its tasks' own words decide ("thủ tục hành chính", "chữ ký số"), the area they name most;
failing that, the area of the task before (or after) it. Only an appendix with no area heading at all
places nothing: the plan is refused there (parse).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import cache
from itertools import groupby

from pipelines.sources.plans.appendix import PlanTask
from pipelines.text.areas import match_area
from pipelines.text.reference import read_seed

_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


@cache
def _areas_in_order() -> tuple[str, ...]:
    """The plan areas in the order appendices number them."""
    numbered = [row for row in read_seed("areas") if row["appendix_numeral"] in _NUMERALS]
    numbered.sort(key=lambda row: _NUMERALS.index(row["appendix_numeral"]))
    return tuple(row["area_code"] for row in numbered)


def _between(before: str | None, after: str | None, headed: set[str]) -> list[str]:
    """Areas no heading of the plan names that stand between `before` and `after` in the usual order."""
    order = _areas_in_order()
    start = order.index(before) + 1 if before in order else 0
    end = order.index(after) if after in order else len(order)
    return [area for area in order[start:end] if area not in headed]


def _named_by_text(run: list[PlanTask], allowed: list[str]) -> str | None:
    """The area the run's tasks name most in their own words, among `allowed` (any when empty)."""
    named: Counter[str] = Counter()
    for task in run:
        for text in (task.objective, task.task, task.activity, task.output):
            found = match_area(text or "", tolerant=True)
            if found and (not allowed or found.area_code in allowed):
                named[found.area_code] += 1
    return named.most_common(1)[0][0] if named else None


def placed(tasks: list[PlanTask]) -> list[PlanTask]:
    """The tasks, each one without an area given one and `area_placed_by` saying how."""
    headed = {task.area_code for task in tasks if task.area_code}
    if not headed:
        return tasks
    result: list[PlanTask] = []
    runs = [list(run) for _, run in groupby(tasks, key=lambda task: task.area_code is None)]
    for index, run in enumerate(runs):
        if run[0].area_code is not None:
            result += run
            continue
        before = runs[index - 1][-1].area_code if index > 0 else None
        after = runs[index + 1][0].area_code if index + 1 < len(runs) else None
        candidates = _between(before, after, headed)
        if len(candidates) == 1:
            area, by = candidates[0], "neighbours"
        elif found := _named_by_text(run, candidates or [a for a in (before, after) if a]):
            area, by = found, "text"
        else:
            area, by = before or after, "neighbours"
        result += [replace(task, area_code=area, sub_area_code=None, area_placed_by=by) for task in run]
    return result
