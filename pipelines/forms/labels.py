"""Words the extract shows its readers, in Vietnamese, shared by the workbook, the charts and the CSV."""

from __future__ import annotations

STATUS_VI = {"met": "đạt", "not_met": "chưa đạt", "no_data": "chưa có số liệu", "not_due": "chưa đến kỳ"}
TARGET_SOURCE_VI = {"own": "Kế hoạch của cơ quan", "province": "Kế hoạch của tỉnh"}
COMPARATOR_VI = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<"}
MEAN_LABEL = "Bình quân các cơ quan đã báo cáo"


def title(province_name: str, year: int) -> str:
    return f"Chỉ số cải cách hành chính tỉnh {province_name} năm {year}"


def decimal(value: float, places: int = 2) -> str:
    """A number as Vietnamese writes it: 58,10."""
    return f"{value:.{places}f}".replace(".", ",")


def arrow(change: float | None, *, has_previous: bool) -> str:
    """▲ up, ▼ down, ► unchanged; "mới" for a first year, "–" when the change cannot be told."""
    if not has_previous:
        return "mới"
    if change is None:
        return "–"
    return "▲" if change > 0 else "▼" if change < 0 else "►"


def target_text(comparator: str | None, value: float | None, unit: str | None) -> str:
    if value is None:
        return ""
    number = f"{value:g}".replace(".", ",")
    return f"{COMPARATOR_VI.get(comparator or '=', comparator)} {number}{' %' if unit == 'percent' else ''}"
