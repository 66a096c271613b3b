"""What a target's words mean: the table of wordings, tried in order, and the direction for a bare figure."""

import re

import pytest

from pipelines.text.comparators import implied_comparator, stated_comparator
from pipelines.text.normalize import fold
from pipelines.text.reference import read_seed


def around_the_figure(sentence: str) -> tuple[str, str]:
    """The folded words before and after the sentence's first percentage."""
    folded = fold(sentence)
    figure = re.search(r"\d+(?:[.,]\d+)?\s*%", folded)
    return folded[: figure.start()], folded[figure.end() :]


@pytest.mark.parametrize("row", read_seed("target_wordings"), ids=lambda row: row["wording"])
def test_each_wording_of_the_table_gives_its_comparator_in_its_example(row):
    assert stated_comparator(*around_the_figure(row["example"])) == row["comparator"]


def test_words_are_tried_in_the_tables_order_and_only_near_the_figure():
    assert stated_comparator(*around_the_figure("Tỷ lệ hồ sơ không dưới 98%")) == ">="  # not "dưới"
    assert stated_comparator(*around_the_figure("Tỷ lệ không vượt quá 5%")) == "<="  # not "vượt"
    assert stated_comparator(*around_the_figure("Tỷ lệ hồ sơ trễ hạn giảm xuống dưới 1%")) == "<"
    # "trên" six words before the figure is where it happens, not how much
    assert stated_comparator(*around_the_figure("Công khai trên Cổng dịch vụ công 100%")) is None
    assert stated_comparator(*around_the_figure("Tỷ lệ số hóa hồ sơ đạt 100%")) is None


def test_a_bare_figure_is_a_floor_where_more_is_better_and_a_ceiling_where_less_is():
    assert implied_comparator("higher") == ">="
    assert implied_comparator("lower") == "<="
    assert implied_comparator(None) == "="
