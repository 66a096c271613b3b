from hypothesis import given
from hypothesis import strategies as st

from pipelines.text.numbers import parse_number


def test_vietnamese_number_forms():
    assert parse_number("97,5") == 97.5
    assert parse_number("97,5 %") == 97.5
    assert parse_number("1.250") == 1250.0
    assert parse_number("1.250.000") == 1250000.0
    assert parse_number("97.5") == 97.5
    assert parse_number("30") == 30.0
    assert parse_number("") is None
    assert parse_number("khoảng") is None


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_decimal_comma_round_trips(whole, fraction):
    assert parse_number(f"{whole},{fraction:02d}") == float(f"{whole}.{fraction:02d}")
