"""How fast the readers get through the bundled raw files. Run with `make bench`; prints figures.

For each file (report files together): the best of N runs of the reader the pipeline uses, and
for workbooks also a plain openpyxl read of every cell (the reader the project avoids for bulk
reads), for comparison. Reads the raw folder the pipeline reads (CCHC_RAW, default raw/).

Then hostile workbooks built on the spot (a small table and one stray cell at row 1,048,576, in column
A and in column Z): the pipeline's reader beside calamine's grid padded from A1 (how the reader read
before) and openpyxl (the script a user would write); the figures also as one JSON line.

Then PDF plans (issue 18's budgets: a 40-page text PDF in 2 s, a scanned page in 4 s on 2 cores): the
44-page seed PDF read by the pipeline beside the script a user would write (pdfplumber's text and
tables, page after page) and the read limit (pdfium's text of every page, in C, no layout); and the
first pages of that seed scanned on the spot, read by the pipeline beside `pdftoppm` then `tesseract`
page after page, and the limit of one Tesseract read per page spread over the cores. One JSON line.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pdfplumber
import pypdfium2 as pdfium
from python_calamine import CalamineWorkbook

from pipelines.bench.scans import first_pages, scanned
from pipelines.formats import scans
from pipelines.formats.documents import read_document
from pipelines.formats.workbooks import read_workbook
from pipelines.settings import load_settings
from pipelines.sources.indices.parse import read_index_file
from pipelines.sources.plans.parse import parse_plan
from pipelines.sources.reports.read import ReportRejected, read_report

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
    for path in sorted(p for p in (raw / "plans").iterdir() if p.suffix in (".md", ".pdf", ".docx")):
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
    pdf_plans()


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


SEED_PDF = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "fixtures"
    / "plans"
    / "pdf"
    / "kh-300-ubnd-dong-nai-2024.pdf"
)
SCANNED_PAGES = 4


def _pdfplumber_script(path: Path) -> None:
    """What a user would write: every page's text and tables, one page after another."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


def _pdfium_text(path: Path) -> None:
    for page in pdfium.PdfDocument(path):
        page.get_textpage().get_text_range()


def _tesseract_script(path: Path, scratch: Path) -> None:
    """pdftoppm at 300 dpi, then tesseract on each page, one after another."""
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(path), str(scratch / "page")], check=True)
    for image in sorted(scratch.glob("page*.png")):
        subprocess.run(["tesseract", str(image), "-", "-l", "vie"], capture_output=True, check=True)


def _one_page_limit(path: Path, scratch: Path) -> float:
    """Tesseract alone on one rendered page, single-threaded: the floor of what a page costs."""
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", str(path), str(scratch / "one")]
    )
    image = next(scratch.glob("one*.png"))
    start = time.perf_counter()
    subprocess.run(
        ["tesseract", str(image), "-", "-l", "vie"],
        capture_output=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return time.perf_counter() - start


def pdf_plans() -> None:
    pages = len(pdfium.PdfDocument(SEED_PDF))
    print(
        f"\n{'PDF plans, best of ' + str(RUNS):<34} {'pipeline':>10} {'user script':>12} {'read limit':>11}"
    )
    text = {
        "pages": pages,
        "pipeline": round(best_of(lambda: read_document(SEED_PDF)), 3),
        "pdfplumber_script": round(best_of(lambda: _pdfplumber_script(SEED_PDF)), 3),
        "pdfium_text_limit": round(best_of(lambda: _pdfium_text(SEED_PDF)), 3),
    }
    print(
        f"{f'text PDF, {pages} pages':<34} {text['pipeline']:>10.3f} {text['pdfplumber_script']:>12.3f}"
        f" {text['pdfium_text_limit']:>11.3f}"
    )
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        scan = scanned(first_pages(SEED_PDF, scratch / "first.pdf", SCANNED_PAGES), scratch / "scan.pdf")
        start = time.perf_counter()
        read_document(scan)
        pipeline = time.perf_counter() - start
        start = time.perf_counter()
        _tesseract_script(scan, scratch)
        script = time.perf_counter() - start
        limit = _one_page_limit(scan, scratch) / scans.WORKERS
    scanned_figures = {
        "pages": SCANNED_PAGES,
        "workers": scans.WORKERS,
        "pipeline_per_page": round(pipeline / SCANNED_PAGES, 3),
        "tesseract_script_per_page": round(script / SCANNED_PAGES, 3),
        "tesseract_limit_per_page": round(limit, 3),
    }
    figures = scanned_figures
    print(
        f"{f'scan, per page ({SCANNED_PAGES} pages, one run)':<34} {figures['pipeline_per_page']:>10.3f}"
        f" {figures['tesseract_script_per_page']:>12.3f} {figures['tesseract_limit_per_page']:>11.3f}"
    )
    print(json.dumps({"pdf_text_seconds": text, "pdf_scan_seconds": scanned_figures}))


def _report(path: Path) -> None:
    with contextlib.suppress(ReportRejected):
        read_report(path)


if __name__ == "__main__":
    sys.exit(main())
