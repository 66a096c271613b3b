"""How fast the readers get through the bundled raw files. Run with `make bench`; prints figures.

For each file (report files together): the best of N runs of the reader the pipeline uses, and
for workbooks also a plain openpyxl read of every cell (the reader the project avoids for bulk
reads), for comparison. Reads the raw folder the pipeline reads (CCHC_RAW, default raw/).

Then hostile workbooks built on the spot (a small table and one stray cell at row 1,048,576, in column
A and in column Z): the pipeline's reader beside calamine's grid padded from A1 (how the reader read
before) and openpyxl (the script a user would write); the figures also as one JSON line.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from pipelines.indices.parse import read_index_file
from pipelines.plans.parse import parse_plan
from pipelines.reports.read import ReportRejected, read_report
from pipelines.settings import load_settings
from pipelines.workbooks import read_workbook

RUNS = 3


def best_of(action: Callable[[], object]) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def openpyxl_cells(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(
            1 for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for _ in row
        )
    finally:
        workbook.close()


def main() -> None:
    raw = load_settings().raw_dir
    print(f"best of {RUNS} runs, seconds")
    print(f"{'file':<34} {'pipeline reader':>16} {'openpyxl (all cells)':>22}")
    total = 0.0
    for path in sorted((raw / "indices").iterdir()):
        if path.name.startswith(".") or path.name == "README.md":
            continue
        seconds = best_of(lambda path=path: read_index_file(path))
        total += seconds
        baseline = (
            f"{best_of(lambda path=path: openpyxl_cells(path)):>22.3f}"
            if path.suffix == ".xlsx"
            else f"{'-':>22}"
        )
        print(f"{path.name:<34} {seconds:>16.3f} {baseline}")
    for path in sorted((raw / "plans").glob("*.md")):
        seconds = best_of(lambda path=path: parse_plan(path))
        total += seconds
        print(f"{path.name:<34} {seconds:>16.3f} {'-':>22}")
    reports = sorted((raw / "reports").rglob("*.xlsx"))
    if reports:
        seconds = best_of(lambda: [_report(path) for path in reports])
        total += seconds
        print(f"{f'{len(reports)} report files':<34} {seconds:>16.3f} {'-':>22}")
    else:
        print("(no report files in raw/reports: `make run` writes the demo ones)")
    print(f"{'all files':<34} {total:>16.3f}")
    stray_cells()


def calamine_padded(path: Path) -> int:
    """Every sheet as calamine's grid from A1: the reader before bounded reading."""
    workbook = CalamineWorkbook.from_path(str(path))
    return sum(
        len(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
        for name in workbook.sheet_names
    )


def stray_cells() -> None:
    """A 40 × 10 table with one more cell at row 1,048,576: read by used cells, padded, and openpyxl."""
    print(f"\n{'stray cell, one run':<34} {'pipeline reader':>16} {'calamine padded':>16} {'openpyxl':>10}")
    figures = {}
    with tempfile.TemporaryDirectory() as scratch:
        for column in ("A", "Z"):
            path = Path(scratch) / f"stray-{column}.xlsx"
            workbook = openpyxl.Workbook()
            for row in range(1, 41):
                for offset in range(10):
                    workbook.active.cell(row=row, column=offset + 1, value=row * offset)
            workbook.active[f"{column}1048576"] = "ghi chú"
            workbook.save(path)
            timed = {}
            for name, action in (
                ("pipeline", lambda path=path: read_workbook(path)),
                ("calamine_padded", lambda path=path: calamine_padded(path)),
                ("openpyxl", lambda path=path: openpyxl_cells(path)),
            ):
                start = time.perf_counter()
                action()
                timed[name] = round(time.perf_counter() - start, 4)
            figures[f"{column}1048576"] = timed
            print(
                f"{f'cell at {column}1048576':<34} {timed['pipeline']:>16.3f} "
                f"{timed['calamine_padded']:>16.3f} {timed['openpyxl']:>10.3f}"
            )
    print(json.dumps({"stray_cell_seconds": figures}))


def _report(path: Path) -> None:
    with contextlib.suppress(ReportRejected):
        read_report(path)


if __name__ == "__main__":
    sys.exit(main())
