"""Scanned plans: each seed PDF rasterised as a scanner would leave it (200 dpi, turned 1.2°, grain
and dust), then read by OCR. At least 90 % of the targets (area and value) and of the tasks (area)
must come back, and what OCR doubts is flagged rather than dropped. Generated at test time.

What is scanned is every page up to the plan's last target and the first pages of its appendix (its
first areas' tasks, under their headings): 57 of the 139 pages, as the rest of an appendix is more rows
of the same table, and OCR costs seconds a page.
What OCR must find is what the text layer of the same pages holds."""

from collections import Counter
from pathlib import Path

import pytest

from pipelines.bench.scans import scanned, some_pages
from pipelines.sources.plans.parse import ParsedPlan, parse_plan
from tests import FIXTURES_DIR

PLANS = FIXTURES_DIR / "plans"
SEED_PDFS = sorted((PLANS / "pdf").glob("*.pdf"))
APPENDIX_PAGES = 4  # of the appendix, from the page of its first task


def targets_and_first_tasks(plan: ParsedPlan) -> list[int]:
    """The numbers of the pages up to the last target and of the appendix's first APPENDIX_PAGES
    (pages are taken whole runs: a sentence or a table goes on over the page break)."""
    pages = set(range(1, max(target.source_page for target in plan.targets) + 1))
    if plan.tasks:
        first = min(task.source_page for task in plan.tasks)
        pages |= set(range(first, min(first + APPENDIX_PAGES, len(plan.document.pages) + 1)))
    return sorted(pages)


def share_found(read: Counter, expected: Counter) -> float:
    return sum((read & expected).values()) / max(1, sum(expected.values()))


@pytest.mark.ocr
@pytest.mark.parametrize("seed", SEED_PDFS, ids=lambda path: path.stem)
def test_a_scanned_seed_gives_nine_in_ten_targets_and_tasks(seed: Path, tmp_path: Path):
    whole = parse_plan(seed)
    pages = some_pages(seed, tmp_path / "pages.pdf", targets_and_first_tasks(whole))
    from_scan = parse_plan(scanned(pages, tmp_path / seed.name))
    from_text = parse_plan(pages)
    assert {page.kind for page in from_scan.document.pages} == {"scan"}
    assert len(from_text.targets) == len(whole.targets)  # every target is on the pages scanned
    assert len(from_text.tasks) >= 10 or not whole.tasks
    targets = share_found(
        Counter((t.area_code, t.value) for t in from_scan.targets),
        Counter((t.area_code, t.value) for t in from_text.targets),
    )
    tasks = share_found(
        Counter(t.area_code for t in from_scan.tasks), Counter(t.area_code for t in from_text.tasks)
    )
    confidences = [page.confidence for page in from_scan.document.pages]
    low = sum(t.is_low_confidence for t in from_scan.targets) + sum(
        t.is_low_confidence for t in from_scan.tasks
    )
    print(
        f"{seed.stem}: targets {targets:.1%} of {len(from_text.targets)}, tasks {tasks:.1%} of"
        f" {len(from_text.tasks)}, {low} flagged low-confidence, page confidence"
        f" {min(confidences)}-{max(confidences)}"
    )
    assert targets >= 0.9
    assert tasks >= 0.9 or not from_text.tasks
