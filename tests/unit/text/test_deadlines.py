"""Deadline cells exactly as the seed appendices write them (tests/fixtures/plans)."""

from datetime import date

import pytest

from pipelines.text.deadlines import parse_deadline
from tests import FIXTURES_DIR


@pytest.mark.parametrize(
    ("text", "due_on", "recurrence"),
    [
        ("Quý III/2024", date(2024, 9, 30), None),
        ("Quý I/2020", date(2020, 3, 31), None),
        ("Trong quý II/2024", date(2024, 6, 30), None),
        ("Quý II-III/2024", date(2024, 9, 30), None),
        ("Chậm nhất trong quý III/2020", date(2020, 9, 30), None),
        ("Trước ngày 14/3/2024", date(2024, 3, 14), None),
        ("Trước ngày 01/12/2024", date(2024, 12, 1), None),
        ("Tháng 01/2024", date(2024, 1, 31), None),
        ("Tháng 11/2020", date(2020, 11, 30), None),
        ("Năm 2024", date(2024, 12, 31), None),
        ("<b>Quý II/2024</b>", date(2024, 6, 30), None),
        ("Thường xuyên", None, "ongoing"),
        ("Thường xuyên  Thường xuyên  Thường xuyên", None, "ongoing"),
        ("Cập nhật công khai thường xuyên", None, "ongoing"),
        ("Hàng tháng", None, "monthly"),
        ("Hàng năm", None, "annual"),
        ("Định kỳ, đột xuất", None, "periodic"),
        ("Khi có hướng dẫn của Bộ Nội vụ", None, "conditional"),
        ("Theo tiến độ phê duyệt", None, "conditional"),
        ("Theo hướng dẫn Trung ương", None, "conditional"),
        # the date of the cited plan, not a deadline
        ("Theo Kế hoạch số 45/KH-UBND ngày 22/01/2023", None, "conditional"),
        ("Thực hiện theo chương trình của tỉnh", None, "conditional"),
        ("Triển khai từ Quý I/2020", None, "ongoing"),
    ],
)
def test_deadline_cells_from_the_seed_plans(text, due_on, recurrence):
    deadline = parse_deadline(text)
    assert (deadline.due_on, deadline.recurrence) == (due_on, recurrence)


@pytest.mark.parametrize(
    ("text", "due_on", "recurrence"),
    [
        (
            "Thường xuyên; riêng chức năng thanh toán trực tuyến trong quý I/2024",
            date(2024, 3, 31),
            "ongoing",
        ),
        ("Theo hướng dẫn của Bộ Nội vụ  Quý IV/2024", date(2024, 12, 31), "conditional"),
        (
            "- Phối hợp nội bộ: Quý I/2020 - Phối hợp bên ngoài: Theo chương trình chung của tỉnh.",
            date(2020, 3, 31),
            "conditional",
        ),
        ("- Thường xuyên - Tại cấp huyện trong quý I/2024   Thường xuyên", date(2024, 3, 31), "ongoing"),
    ],
)
def test_cells_with_a_dated_part_and_a_standing_part_keep_both(text, due_on, recurrence):
    deadline = parse_deadline(text)
    assert (deadline.due_on, deadline.recurrence) == (due_on, recurrence)


def test_quarter_or_month_without_a_year_takes_the_plan_year():
    assert parse_deadline("Quý III", plan_year=2026).due_on == date(2026, 9, 30)
    assert parse_deadline("Tháng 6", plan_year=2026).due_on == date(2026, 6, 30)
    assert parse_deadline("Quý III").due_on is None


@pytest.mark.parametrize(
    ("text", "due_on"),
    [
        ("Trước ngày 15/02/202\n3", date(2023, 2, 15)),  # the held-out PDF's narrow "Thời gian" column
        ("Trước ngày 15/02/20\n23", date(2023, 2, 15)),
        ("Quý II/202\n4", date(2024, 6, 30)),  # was read as the plan's own year, 2023
        ("Năm 202\n5", date(2025, 12, 31)),
        ("Quý IV/ 202\n5", date(2025, 12, 31)),
        ("Quý II/2024\n3 lần", date(2024, 6, 30)),  # a whole year and a count after it stay apart
        ("Trước ngày 01/12/2\n024", date(2024, 12, 1)),  # re-laid seed PDFs: a date cut anywhere
        ("Trước ngày 01/1\n2/2024", date(2024, 12, 1)),
        ("Tháng 11/20 20", date(2020, 11, 30)),
        ("Từ 15/02/2023\n2024 xong", None),  # a whole date, then a year: apart (and "từ" starts work)
        ("Trước ngày 15/02/2023 20 ngày", date(2023, 2, 15)),
    ],
)
def test_a_year_wrapped_inside_its_digits_is_read_whole(text, due_on):
    assert parse_deadline(text, plan_year=2023).due_on == due_on


def test_impossible_dates_and_empty_cells_are_no_deadline():
    assert parse_deadline("Trước ngày 31/02/2024").due_on is None
    assert parse_deadline("Tháng 13/2024").due_on is None
    empty = parse_deadline("")
    assert (empty.due_on, empty.recurrence) == (None, None)


def test_every_deadline_cell_of_the_seed_appendices_gets_a_date_or_a_recurrence():
    cells = []
    for plan in sorted((FIXTURES_DIR / "plans").glob("*.md")):
        header = None
        for line in plan.read_text(encoding="utf-8").splitlines():
            row = line.split("\t")
            if row[0].strip() == "STT":
                header = row
            elif header and len(row) >= len(header) - 1 and row[-1].strip():
                cells.append(row[-1])
    assert len(cells) > 150
    unexplained = []
    for cell in cells:
        deadline = parse_deadline(cell, plan_year=2024)
        if deadline.due_on is None and deadline.recurrence is None:
            unexplained.append(cell)
    assert unexplained == []


@pytest.mark.parametrize(
    ("text", "due_on"),
    [  # as Tesseract read the kh-300 appendix scanned at 150 dpi
        ("Quý I1/2024", date(2024, 6, 30)),
        ("Quý I-IH/2024 -", date(2024, 9, 30)),  # H for II: quarters I to III
        ("Quý Il/2024", date(2024, 6, 30)),
        ("Quý 11/2024", date(2024, 6, 30)),  # there is no quarter 11
        ("Quý 1/2024", date(2024, 3, 31)),  # one stroke is quarter I, however written
        ("Quý IV/2024", date(2024, 12, 31)),
    ],
)
def test_a_quarter_numeral_read_as_look_alike_strokes_is_read_as_its_strokes(text, due_on):
    assert parse_deadline(text, plan_year=2024).due_on == due_on
