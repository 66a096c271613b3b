"""The two warnings for the people who follow reports up, on a small real warehouse made here: who is
still not counted for the last period due, and how many figures jump across periods, by kind."""

from datetime import date, timedelta

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from pipelines.quality.reporting import jumps_check, missing_reports_check

TODAY = date.today()


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "cchc.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create table main.dim_period (period_key text, report_due_on date)")
        # the period due a week ago is the last one due; the next is not due yet
        conn.execute(
            "insert into main.dim_period values ('2026-Q1', ?), ('2026-Q2', ?), ('2026-Q3', ?)",
            [TODAY - timedelta(days=100), TODAY - timedelta(days=7), TODAY + timedelta(days=30)],
        )
        conn.execute(
            "create table main.fact_report_submission"
            " (period_key text, agency_key text, is_expected boolean, compliance_status text)"
        )
        conn.execute(
            """insert into main.fact_report_submission values
            ('2026-Q2', 'tinh.so_a', true, 'on_time'),
            ('2026-Q2', 'tinh.so_b', true, 'missing'),
            ('2026-Q2', 'tinh.so_c', true, 'returned'),
            ('2026-Q2', 'tinh.so_d', true, 'after_close'),
            ('2026-Q2', 'tinh.so_e', true, 'late'),
            ('2026-Q2', 'tinh.so_f', false, 'missing'),
            ('2026-Q1', 'tinh.so_g', true, 'missing'),
            ('2026-Q3', 'tinh.so_h', true, 'missing')"""
        )
        conn.execute("create table main.fact_report_value_jumps (report_value_jump_key text, jump_kind text)")
    return path


def test_the_agencies_not_counted_for_the_last_period_due_are_named(warehouse):
    result = missing_reports_check(duckdb=DuckDBResource(database=str(warehouse)))
    # b sent nothing, c's report was returned, d's came after the books closed; e was late but counts;
    # f is not expected; g and h are of other periods
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert result.description.startswith("2026-Q2: 3 expected reports not counted after the due date")
    assert result.metadata["agencies"].value == ["tinh.so_b", "tinh.so_c", "tinh.so_d"]


def test_every_report_in_or_nothing_due_passes(warehouse):
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("update main.fact_report_submission set compliance_status = 'on_time'")
    result = missing_reports_check(duckdb=DuckDBResource(database=str(warehouse)))
    assert result.passed and result.description == "2026-Q2: every expected report is in"
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("delete from main.dim_period where report_due_on < current_date")
    nothing_due = missing_reports_check(duckdb=DuckDBResource(database=str(warehouse)))
    assert nothing_due.passed and nothing_due.description == "No period is due yet."


def test_jumps_are_counted_by_kind(warehouse):
    assert jumps_check(duckdb=DuckDBResource(database=str(warehouse))).passed
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "insert into main.fact_report_value_jumps"
            " values ('k1', 'leap'), ('k2', 'leap'), ('k3', 'outlier')"
        )
    result = jumps_check(duckdb=DuckDBResource(database=str(warehouse)))
    assert not result.passed
    assert result.description == (
        "3 figures jump across periods (2 leap, 1 outlier): see main.fact_report_value_jumps"
    )
    assert result.metadata["keys"].value == ["k1", "k2", "k3"]
