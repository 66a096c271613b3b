"""Words the forms show their readers, in Vietnamese: the extract, its charts and CSV, the check of a report,
the feedback and review workbooks."""

from __future__ import annotations

STATUS_VI = {"met": "đạt", "not_met": "chưa đạt", "no_data": "chưa có số liệu", "not_due": "chưa đến kỳ"}
TARGET_SOURCE_VI = {"own": "Kế hoạch của cơ quan", "province": "Kế hoạch của tỉnh"}
COMPARATOR_VI = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<"}
MEAN_LABEL = "Bình quân các cơ quan đã báo cáo"
# what a finding on a report means for it, in the check before sending, the feedback and the review
REFUSED, ROW_REJECTED, WARNING, READ, RETURNED = (
    "tệp bị từ chối",
    "dòng bị loại",
    "cảnh báo",
    "đã đọc",
    "trả lại",
)
EVIDENCE = "tài liệu kiểm chứng"  # a finding on the proof a self-assessment gives


def title(province_name: str, year: int) -> str:
    return f"Chỉ số cải cách hành chính tỉnh {province_name} năm {year}"


def short_level(level_name: str) -> str:
    """A level's name without its explanation: "Cấp sở" for "Cấp sở (sở, ban, ngành cấp tỉnh)"."""
    return level_name.split(" (")[0]


def decimal(value: float, places: int = 2) -> str:
    """A number as Vietnamese writes it: 58,10."""
    return f"{value:.{places}f}".replace(".", ",")


def plain(value: float) -> str:
    """A number as typed, in Vietnamese: 0,85; 1234,5; 85."""
    return f"{value:g}".replace(".", ",")


NOT_COMPARABLE = "không so sánh được"
# where nothing was reported or nothing counts: never drawn or printed as 0
NO_DATA = "không có số liệu"


def arrow(change: float | None, *, has_previous: bool) -> str:
    """▲ up, ▼ down, ► unchanged, following the score's change (a rank change has its own column); "mới"
    for a first year; NOT_COMPARABLE when there was a previous year but no like-for-like change (the
    internal mean of two years with no agency scored in both)."""
    if not has_previous:
        return "mới"
    if change is None:
        return NOT_COMPARABLE
    return "▲" if change > 0 else "▼" if change < 0 else "►"


# an official index more than this many years behind the report year is marked old where it is shown
OLD_AFTER_YEARS = 2


def recency(described_year: int, report_year: int) -> str | None:
    """ "cũ: …" for figures that describe a year long before the one reported on; else nothing."""
    behind = report_year - described_year
    return f"cũ: số liệu năm {described_year}, trước {behind} năm" if behind > OLD_AFTER_YEARS else None


def target_text(comparator: str | None, value: float | None, unit: str | None) -> str:
    if value is None:
        return ""
    number = f"{value:g}".replace(".", ",")
    return f"{COMPARATOR_VI.get(comparator or '=', comparator)} {number}{' %' if unit == 'percent' else ''}"
