"""The words and numbers the extract prints, as a Vietnamese reader expects them."""

import pytest

from pipelines.forms.labels import arrow, decimal, plain, recency, short_level, target_text, title


def test_numbers_take_the_decimal_comma():
    assert decimal(58.1) == "58,10"
    assert decimal(0.456, places=1) == "0,5"
    assert decimal(100) == "100,00"


@pytest.mark.parametrize(
    ("change", "has_previous", "shown"),
    [
        (0.33, True, "▲"),
        (-0.41, True, "▼"),
        (0.0, True, "►"),
        (None, True, "không so sánh được"),
        (2.5, False, "mới"),
    ],
)
def test_the_arrow_follows_the_sign_of_the_change(change, has_previous, shown):
    assert arrow(change, has_previous=has_previous) == shown


def test_a_target_reads_as_the_plan_states_it():
    assert target_text(">=", 80.0, "percent") == "≥ 80 %"
    assert target_text("<=", 1.5, "day") == "≤ 1,5"
    assert target_text(None, 100.0, "percent") == "= 100 %"
    assert target_text(">=", None, "percent") == ""


def test_the_title_names_province_and_year():
    assert title("Đồng Nai", 2024) == "Chỉ số cải cách hành chính tỉnh Đồng Nai năm 2024"


def test_an_index_more_than_two_years_behind_the_report_is_marked_old():
    assert recency(2014, 2024) == "cũ: số liệu năm 2014, trước 10 năm"
    assert recency(2021, 2024) == "cũ: số liệu năm 2021, trước 3 năm"
    assert recency(2022, 2024) is None  # two years behind: the latest a province usually has
    assert recency(2024, 2024) is None


def test_a_level_is_named_short_where_a_column_is_narrow():
    assert short_level("Cấp sở (sở, ban, ngành cấp tỉnh)") == "Cấp sở"
    assert short_level("Cấp huyện (đến 30/6/2025)") == "Cấp huyện"
    assert short_level("Đơn vị trực thuộc") == "Đơn vị trực thuộc"


def test_a_plain_number_is_written_as_typed_in_vietnamese():
    assert [plain(v) for v in (0.85, 1234.5, 85.0, 97.25)] == ["0,85", "1234,5", "85", "97,25"]
