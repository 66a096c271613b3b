"""`cchc parse-plan`: what a data engineer sees of one document."""

import json
from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli import app

PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "kh-300-ubnd-dong-nai-2024.md"


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
    scan = tmp_path / "ke-hoach-scan.pdf"
    scan.write_bytes(b"%PDF-1.7")
    result = CliRunner().invoke(app, ["parse-plan", str(scan)])
    assert result.exit_code == 2
    assert "chưa được hỗ trợ" in result.output
