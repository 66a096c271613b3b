"""A report checked before it is sent ("kiểm tra trước khi gửi"): the reader the pipeline uses, nothing
written, every finding in Vietnamese with its sheet and cell, and whether the file would be refused.

A finding is one of three kinds, as the pipeline would treat it: the file refused ("tệp bị từ chối":
nothing of it counts), a row rejected ("dòng bị loại": that figure or task does not count), or a
warning ("cảnh báo": counted, but worth a look: a date typed in words, a blank name or phone, a target
edited, rows left blank, a formula). Figures typed as text ("97,5 %") are shown as read ("đã đọc"), so
the clerk sees what will count."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.forms.labels import READ, REFUSED, ROW_REJECTED, WARNING, plain
from pipelines.forms.report import layout
from pipelines.sources.reports.read import FLAGGED, REJECTED, ReportRejected, read_report


@dataclass(frozen=True)
class Finding:
    kind: str  # REFUSED, ROW_REJECTED, WARNING or READ
    sheet: str | None
    message: str

    def __str__(self) -> str:
        where = f"Trang '{self.sheet}' — " if self.sheet and not self.message.startswith("Trang") else ""
        return f"[{self.kind}] {where}{self.message}"


@dataclass(frozen=True)
class Check:
    source: str
    agency_key: str | None
    period_key: str | None
    findings: tuple[Finding, ...]

    @property
    def refused(self) -> bool:
        return any(finding.kind == REFUSED for finding in self.findings)

    def render(self) -> str:
        whose = f"{self.agency_key}, kỳ {self.period_key}" if self.agency_key else "cơ quan, kỳ chưa xác định"
        if self.refused:
            verdict = "Tệp sẽ bị từ chối: hãy sửa rồi kiểm tra lại trước khi gửi."
        elif any(finding.kind == ROW_REJECTED for finding in self.findings):
            verdict = "Tệp sẽ được nhận; các dòng bị loại không được tính."
        elif self.findings:
            verdict = "Tệp sẽ được nhận; hãy xem các cảnh báo."
        else:
            verdict = "Tệp sẽ được nhận, không có gì cần sửa."
        lines = [f"{self.source} ({whose}): {len(self.findings)} điểm.", verdict]
        return "\n".join([*lines, *(f"  {finding}" for finding in self.findings)])


def check_report(path: Path) -> Check:
    """What the pipeline would make of the report at `path`, without writing anything."""
    try:
        reading = read_report(path)
    except ReportRejected as rejection:
        agency, period = rejection.identified or (None, None)
        return Check(path.name, agency, period, (Finding(REFUSED, None, rejection.reason),))
    findings = [Finding(WARNING, None, warning) for warning in reading.warnings]
    for sheet, rows in ((layout.INDICATORS_SHEET, reading.indicators), (layout.TASKS_SHEET, reading.tasks)):
        for row in rows:
            if row.issue and row.row_status in (REJECTED, FLAGGED):
                findings.append(
                    Finding(ROW_REJECTED if row.row_status == REJECTED else WARNING, sheet, row.issue)
                )
    for value in reading.indicators:
        typed, read = value.actual_text.strip(), value.actual_value
        if read is not None and not value.is_computed and typed not in (f"{read:g}", plain(read)):
            unit = " %" if value.is_percent else ""
            message = f"Ô {value.actual_cell}: '{typed}' đọc là {plain(read)}{unit}."
            findings.append(Finding(READ, layout.INDICATORS_SHEET, message))
    return Check(path.name, reading.agency_key, reading.period_key, tuple(findings))
