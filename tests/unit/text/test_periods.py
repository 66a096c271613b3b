import pytest

from pipelines.text.periods import parse_period, period_key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Quý III/2024", "2024-Q3"),
        ("quý 3 năm 2024", "2024-Q3"),
        ("Báo cáo quý I năm 2025", "2025-Q1"),
        ("Q1/2026", "2026-Q1"),
        ("6 tháng đầu năm 2024", "2024-H1"),
        ("06 tháng/2024", "2024-H1"),
        ("Sáu tháng đầu năm 2023", "2023-H1"),
        ("Năm 2024", "2024-FY"),
        ("Báo cáo năm 2022", "2022-FY"),
        ("2024-q3", "2024-Q3"),
        ("2024-FY", "2024-FY"),
    ],
)
def test_labels_people_write_name_a_period(label, key):
    assert parse_period(label) == key


@pytest.mark.parametrize("label", ["Quý II/2024", "Quý IV/2024", "Tháng 01/2024", "Thường xuyên", ""])
def test_labels_that_are_not_statutory_report_periods(label):
    assert parse_period(label) is None


def test_period_key_rejects_unknown_kinds():
    assert period_key(2024, "Q3") == "2024-Q3"
    with pytest.raises(ValueError, match="unknown report kind"):
        period_key(2024, "Q2")
