"""Scanned plans, as e-office systems keep them to save space: each seed PDF scanned at 150 dpi,
JPEG-compressed, with grain and dust, turned up to 2°, in grey or in colour (each seed scanned its own
way), then read by OCR. Against the text layer of the same pages, at least 85 % of the targets (area and
value) and of the tasks (area) come back, and at least 80 % of the dated deadlines; no task is left
without an area (a heading OCR lost is placed and flagged, not a reason to refuse the plan).
Generated at test time; nothing scanned is committed.

`make test` scans the pages each kind of reading needs (`pages_to_scan`: about a quarter of the 139
pages, chosen from the text layer, so any seed added is sampled the same way) at 150 dpi, the worst
resolution; `make bench` scans every page at 150, 200 and 300 dpi (CCHC_SCAN_DPI, CCHC_SCAN_PAGES=all)
and prints the recall of each."""

import os
from collections import Counter
from pathlib import Path

import pytest

from pipelines.bench.scans import Scanner, scanned, some_pages
from pipelines.sources.plans.parse import ParsedPlan, parse_plan
from tests import FIXTURES_DIR

PLANS = FIXTURES_DIR / "plans"
DPIS = [int(dpi) for dpi in os.environ.get("CCHC_SCAN_DPI", "150").split(",")]
EVERY_PAGE = os.environ.get("CCHC_SCAN_PAGES") == "all"
# how each seed is scanned, besides its resolution
SCANNERS = {
    "kh-01-bql-kcn-dong-nai-2020": {"angle": 1.5, "quality": 50, "grain": 12},
    "kh-300-ubnd-dong-nai-2024": {"angle": -2.0, "colour": True, "quality": 40, "grain": 15},
    "kh-ubnd-phuong-chon-thanh-2026": {"angle": 0.7, "quality": 35, "grain": 20},
    "qd-3028-ubnd-quang-binh-2021-2030": {"angle": -1.2, "colour": True, "quality": 60, "grain": 10},
}


def pages_to_scan(plan: ParsedPlan) -> list[int]:
    """The pages each kind of reading needs, found in the text layer: the title pages (number, year,
    issuer), the page before the first target and the four from it (the section heading that makes a
    line a target, and its first targets), the appendix's first four pages (its header row, the area
    rows) and the four pages with the most dated deadlines."""
    pages = {1, 2}
    if plan.targets:
        first = min(target.source_page for target in plan.targets)
        pages |= set(range(first - 1, first + 4))
    if plan.tasks:
        first = min(task.source_page for task in plan.tasks)
        pages |= set(range(first, first + 4))
        dated = Counter(task.source_page for task in plan.tasks if task.deadline)
        pages |= {page for page, _ in dated.most_common(4)}
    return sorted(page for page in pages if 1 <= page <= len(plan.document.pages))


def share_found(read: Counter, expected: Counter) -> float:
    return sum((read & expected).values()) / max(1, sum(expected.values()))


@pytest.mark.ocr
@pytest.mark.parametrize("dpi", DPIS, ids=lambda dpi: f"{dpi}dpi")
@pytest.mark.parametrize("stem", sorted(SCANNERS))
def test_a_scanned_seed_gives_its_targets_tasks_and_deadlines(stem: str, dpi: int, tmp_path: Path):
    seed = PLANS / "pdf" / f"{stem}.pdf"
    if not EVERY_PAGE:
        seed = some_pages(seed, tmp_path / f"{stem}-pages.pdf", pages_to_scan(parse_plan(seed)))
    scanner = Scanner(dpi=dpi, **SCANNERS[stem])
    from_scan = parse_plan(scanned(seed, tmp_path / f"{stem}-scan.pdf", scanner))
    from_text = parse_plan(seed)
    assert {page.kind for page in from_scan.document.pages} == {"scan"}
    targets = share_found(
        Counter((t.area_code, t.value) for t in from_scan.targets),
        Counter((t.area_code, t.value) for t in from_text.targets),
    )
    tasks = share_found(
        Counter(t.area_code for t in from_scan.tasks), Counter(t.area_code for t in from_text.tasks)
    )
    deadlines = share_found(
        Counter(t.deadline for t in from_scan.tasks if t.deadline),
        Counter(t.deadline for t in from_text.tasks if t.deadline),
    )
    placed = Counter(t.area_placed_by for t in from_scan.tasks if t.area_placed_by)
    low = sum(t.is_low_confidence for t in (*from_scan.targets, *from_scan.tasks))
    print(
        f"\n{stem}, {len(from_text.document.pages)} pages, {scanner}: targets {targets:.0%} of"
        f" {len(from_text.targets)}, tasks {tasks:.0%} of"
        f" {len(from_text.tasks)} (read {len(from_scan.tasks)}), dated deadlines {deadlines:.0%} of"
        f" {sum(1 for t in from_text.tasks if t.deadline)}; {low} rows flagged low-confidence, areas placed:"
        f" {dict(placed) or 'none'}"
    )
    assert targets >= 0.85
    assert tasks >= 0.85 or not from_text.tasks
    assert deadlines >= 0.80 or not any(t.deadline for t in from_text.tasks)
    assert all(task.area_code for task in from_scan.tasks)
