"""Facts about periods come from dim_period, read one way: a hand-made calendar of three periods (the
statutory due date is the 20th of the period's last month)."""

from datetime import date

import duckdb
import pytest

from pipelines.warehouse.periods import Period, last_due, period


@pytest.fixture()
def conn(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        connection.execute(
            """
            create table main.dim_period as select * from (values
                ('2024-Q1', 'Quý I/2024', 2024, date '2024-03-31', date '2023-12-15', date '2024-03-14',
                    false, date '2024-03-20', 1),
                ('2024-H1', '6 tháng đầu năm 2024', 2024, date '2024-06-30', date '2023-12-15',
                    date '2024-06-14', true, date '2024-06-20', 2),
                ('2024-Q3', 'Quý III/2024', 2024, date '2024-09-30', date '2023-12-15', date '2024-09-14',
                    true, date '2024-09-20', 3)
            ) as t(period_key, period_label_vi, report_year, period_end_on, cutoff_start_on, cutoff_end_on,
                is_cumulative, report_due_on, period_sequence)
            """
        )
        yield connection


def test_a_period_is_read_whole_and_an_unknown_one_is_none(conn):
    assert period(conn, "2024-H1") == Period(
        "2024-H1",
        "6 tháng đầu năm 2024",
        2024,
        date(2024, 6, 30),
        date(2023, 12, 15),
        date(2024, 6, 14),
        True,
        date(2024, 6, 20),
    )
    assert period(conn, "2024-Q2") is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 3, 20), None),  # due today: not yet past
        (date(2024, 3, 21), "2024-Q1"),
        (date(2024, 9, 20), "2024-H1"),
        (date(2025, 1, 5), "2024-Q3"),
    ],
)
def test_the_last_period_due_is_the_latest_due_date_before_today(conn, today, expected):
    assert last_due(conn, today) == expected
