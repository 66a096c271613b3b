"""`cchc parse-plan`: what a data engineer sees of one document."""

import json

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests import FIXTURES_DIR

pytestmark = pytest.mark.long  # queued first (tests/integration/conftest.py)

PLAN = FIXTURES_DIR / "plans" / "kh-300-ubnd-dong-nai-2024.md"


def test_json_has_document_targets_and_tasks_with_the_documented_keys():
    result = CliRunner().invoke(app, ["parse-plan", str(PLAN), "--json"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert set(parsed) == {"document", "targets", "tasks"}
    assert parsed["document"]["number"] == "300/KH-UBND"
    assert {"area", "value", "unit", "comparator", "level", "target_year", "indicator", "text"} <= set(
        parsed["targets"][0]
    )
    task = parsed["tasks"][0]
    assert {
        "stt",
        "area",
        "objective",
        "task",
        "output",
        "lead",
        "coordinating",
        "deadline_text",
        "deadline",
        "recurrence",
    } <= set(task)
    assert task["lead"][0]["raw"] and "agency_key" in task["lead"][0]


def test_text_view_lists_targets_and_tasks():
    result = CliRunner().invoke(app, ["parse-plan", str(PLAN)])
    assert result.exit_code == 0, result.output
    assert "Targets (45)" in result.output and "Tasks (67)" in result.output


def test_unsupported_file_is_refused_with_the_clerk_message(tmp_path):
    scan = tmp_path / "ke-hoach.odt"
    scan.write_bytes(b"PK\x03\x04")
    result = CliRunner().invoke(app, ["parse-plan", str(scan)])
    assert result.exit_code == 2
    assert "chưa được hỗ trợ" in result.output


@pytest.mark.ocr
def test_a_pdf_shows_how_each_page_was_read(tmp_path):
    """Pages 1-3 of a seed scanned (the targets of its first areas) beside the text PDF: the scan's
    pages carry their OCR confidence, so a wrong reading can be traced to its page."""
    from pipelines.bench.scans import first_pages, scanned

    seed = PLAN.parent / "pdf" / "kh-300-ubnd-dong-nai-2024.pdf"
    scan = scanned(first_pages(seed, tmp_path / "first.pdf", 3), tmp_path / "ke-hoach-scan.pdf")

    result = CliRunner().invoke(app, ["parse-plan", str(scan), "--json"])
    assert result.exit_code == 0, result.output
    pages = json.loads(result.output)["document"]["pages"]
    assert [page["kind"] for page in pages] == ["scan"] * 3
    assert all(50 < page["confidence"] <= 100 for page in pages)
    text_view = CliRunner().invoke(app, ["parse-plan", str(seed)])
    assert "page   1: text layer" in text_view.output
    assert "page   1: OCR, confidence" in CliRunner().invoke(app, ["parse-plan", str(scan)]).output
