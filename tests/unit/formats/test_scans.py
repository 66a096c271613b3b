"""Scanned plans: each seed PDF rasterised as a scanner would leave it (200 dpi, turned 1.2°, grain
and dust), then read by OCR. At least 90 % of the targets (area and value) and of the tasks (area)
must come back, and what OCR doubts is flagged rather than dropped. Generated at test time."""

from collections import Counter
from pathlib import Path

import pytest

from pipelines.bench.scans import scanned
from pipelines.sources.plans.parse import parse_plan
from tests import FIXTURES_DIR

PLANS = FIXTURES_DIR / "plans"
SEED_PDFS = sorted((PLANS / "pdf").glob("*.pdf"))


def share_found(read: Counter, expected: Counter) -> float:
    return sum((read & expected).values()) / max(1, sum(expected.values()))


@pytest.mark.ocr
@pytest.mark.parametrize("seed", SEED_PDFS, ids=lambda path: path.stem)
def test_a_scanned_seed_gives_nine_in_ten_targets_and_tasks(seed: Path, tmp_path: Path):
    from_scan = parse_plan(scanned(seed, tmp_path / seed.name))
    from_markdown = parse_plan(PLANS / f"{seed.stem}.md")
    assert {page.kind for page in from_scan.document.pages} == {"scan"}
    targets = share_found(
        Counter((t.area_code, t.value) for t in from_scan.targets),
        Counter((t.area_code, t.value) for t in from_markdown.targets),
    )
    tasks = share_found(
        Counter(t.area_code for t in from_scan.tasks), Counter(t.area_code for t in from_markdown.tasks)
    )
    confidences = [page.confidence for page in from_scan.document.pages]
    low = sum(t.is_low_confidence for t in from_scan.targets) + sum(
        t.is_low_confidence for t in from_scan.tasks
    )
    print(
        f"{seed.stem}: targets {targets:.1%} of {len(from_markdown.targets)}, tasks {tasks:.1%} of"
        f" {len(from_markdown.tasks)}, {low} flagged low-confidence, page confidence"
        f" {min(confidences)}-{max(confidences)}"
    )
    assert targets >= 0.9
    assert tasks >= 0.9 or not from_markdown.tasks
