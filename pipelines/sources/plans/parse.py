"""Parse one plan file into its document record, narrative targets and appendix tasks."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.formats.blocks import Document, DocumentRejected
from pipelines.formats.documents import read_document
from pipelines.sources.plans.appendix import PlanTask, read_tasks
from pipelines.sources.plans.metadata import PlanMetadata, read_metadata
from pipelines.sources.plans.placement import placed
from pipelines.sources.plans.targets import PlanTarget, read_targets


@dataclass(frozen=True)
class ParsedPlan:
    document: Document
    metadata: PlanMetadata
    targets: tuple[PlanTarget, ...]
    tasks: tuple[PlanTask, ...]

    def summary(self) -> dict[str, Any]:
        """The `cchc parse-plan --json` shape: keys document, targets, tasks (see README)."""
        meta = self.metadata
        return {
            "document": {
                "source": self.document.source,
                "content_hash": self.document.content_hash,
                "number": meta.number,
                "symbol": meta.symbol,
                "title": meta.title,
                "issuer": meta.issuer_raw,
                "issuer_agency_key": meta.issuer_agency_key,
                "province": meta.province_code,
                "place": meta.place,
                "issued_on": _iso(meta.issued_on),
                "period_start_year": meta.period_start_year,
                "period_end_year": meta.period_end_year,
                "pages": [asdict(page) for page in self.document.pages],
                "parent_plan": (
                    {**asdict(meta.parent), "issued_on": _iso(meta.parent.issued_on)} if meta.parent else None
                ),
            },
            "targets": [
                {
                    "seq": t.seq,
                    "area": t.area_code,
                    "sub_area": t.sub_area_code,
                    "indicator": t.indicator_code,
                    "value": t.value,
                    "value_text": t.value_text,
                    "unit": t.unit,
                    "comparator": t.comparator,
                    "level": t.level,
                    "target_year": t.target_year,
                    "is_implausible": t.is_implausible,
                    "is_low_confidence": t.is_low_confidence,
                    "text": t.text,
                    "line": t.source_line,
                    "page": t.source_page,
                }
                for t in self.targets
            ],
            "tasks": [
                {
                    "seq": t.seq,
                    "stt": t.stt,
                    "area": t.area_code,
                    "sub_area": t.sub_area_code,
                    "objective": t.objective,
                    "task": t.task,
                    "activity": t.activity,
                    "output": t.output,
                    "lead": [asdict(ref) for ref in t.lead],
                    "coordinating": [asdict(ref) for ref in t.coordinating],
                    "deadline_text": t.deadline_text,
                    "deadline": _iso(t.deadline),
                    "recurrence": t.recurrence,
                    "is_low_confidence": t.is_low_confidence,
                    "area_placed_by": t.area_placed_by,
                    "line": t.source_line,
                    "page": t.source_page,
                }
                for t in self.tasks
            ],
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def parse_document(document: Document) -> ParsedPlan:
    """Parse a document already read. Raises DocumentRejected when it holds no plan content."""
    metadata = read_metadata(document)
    targets = read_targets(
        document.paragraphs, period_start=metadata.period_start_year, period_end=metadata.period_end_year
    )
    on = metadata.issued_on or (date(metadata.plan_year, 1, 1) if metadata.plan_year else None)
    tasks = read_tasks(
        document.tables,
        plan_year=metadata.plan_year,
        province=metadata.province_code,
        on=on,
        issuer=metadata.issuer_agency_key,
    )
    if not targets and not tasks:
        raise DocumentRejected(
            document.source,
            "Không tìm thấy chỉ tiêu (phần 'Mục tiêu') hay bảng nhiệm vụ (cột STT, Nhiệm vụ…) nào: "
            "hãy kiểm tra đây có đúng là kế hoạch CCHC và bảng phụ lục còn giữ dạng bảng.",
        )
    if metadata.period_start_year is None:
        raise DocumentRejected(
            document.source,
            "Không xác định được năm của kế hoạch: tiêu đề cần ghi 'năm 2024' hoặc 'giai đoạn 2021 - 2030'.",
        )
    tasks = placed(tasks)  # a few tasks outside any heading are placed by their neighbours, and flagged
    if orphans := [task for task in tasks if task.area_code is None]:
        first = orphans[0]
        raise DocumentRejected(
            document.source,
            f"{len(orphans)} nhiệm vụ của bảng phụ lục không nằm dưới dòng tiêu đề lĩnh vực nào (đầu tiên:"
            f" STT {first.stt or '?'}, dòng {first.source_line}) và bảng không có dòng tiêu đề lĩnh vực"
            " nào: hãy giữ các dòng tiêu đề lĩnh vực (I. Cải cách thể chế, II. Cải cách thủ tục hành"
            " chính…) trong bảng.",
        )
    return ParsedPlan(document, metadata, tuple(targets), tuple(tasks))


def parse_plan(path: Path) -> ParsedPlan:
    return parse_document(read_document(path))


def render_text(summary: dict[str, Any]) -> str:
    """The `cchc parse-plan` text view of `ParsedPlan.summary()`."""
    document = summary["document"]
    lines = [
        f"{document['source']}: {document['number'] or '(no number)'} · {document['title']}",
        f"  issuer {document['issuer_agency_key'] or document['issuer']}"
        f" · issued {document['issued_on'] or '-'}"
        f" · period {document['period_start_year']}-{document['period_end_year']}",
    ]
    for page in document["pages"]:
        read = f"OCR, confidence {page['confidence']}" if page["kind"] == "scan" else "text layer"
        lines.append(f"  page {page['number']:>3}: {read}")
    lines.append(f"\nTargets ({len(summary['targets'])}):")
    for t in summary["targets"]:
        flag = "  [implausible]" if t["is_implausible"] else ""
        flag += f"  [low OCR confidence, page {t['page']}]" if t["is_low_confidence"] else ""
        lines.append(
            f"  {t['seq']:>3} {t['area'] or '-':<18} {t['indicator']:<28} {t['comparator']:>2}"
            f" {t['value_text']:<8} {t['level'] or '':<10} {t['target_year']}{flag}"
        )
    lines.append(f"\nTasks ({len(summary['tasks'])}):")
    for t in summary["tasks"]:
        lead = ", ".join(ref["agency_key"] or ref["group_role"] or f"?{ref['raw']}" for ref in t["lead"])
        lines.append(
            f"  {t['seq']:>3} {t['stt'] or '':<5} {t['area'] or '-':<18}"
            f" {(t['activity'] or t['task'] or t['objective'] or '')[:50]:<50} | {lead[:40]:<40}"
            f" | {t['deadline'] or t['recurrence'] or ''}"
            + (f"  [low OCR confidence, page {t['page']}]" if t["is_low_confidence"] else "")
            + (f"  [no heading: area placed by {t['area_placed_by']}]" if t["area_placed_by"] else "")
        )
    return "\n".join(lines)
