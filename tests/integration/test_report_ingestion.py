"""Reports dropped in raw/reports reach the warehouse: one run per period, the latest file counts,
copies are recognised, broken files are quarantined, what changed between submissions is listed, and
re-runs read nothing twice."""

import shutil

import duckdb

from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.orchestration.runs import pending_work
from pipelines.warehouse.digest import table_digests
from tests.integration.conftest import build_warehouse, downstream_of, published_rows, received


def test_submissions_supersede_duplicates_are_recognised_and_broken_files_quarantined(fork, tmp_path):
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        quarter = report_form(conn, "dong_nai.so_noi_vu", "2024-Q3")
        half = report_form(conn, "dong_nai.so_tu_phap", "2024-H1")
    assert len(quarter.indicators) >= 5 and len(quarter.tasks) >= 5
    rate = next(line for line in quarter.indicators if line.is_rate)
    task = quarter.tasks[0]
    inbox = fork.reports_dir / "kiem-thu"
    first = fill_report(
        write_template(quarter, tmp_path / "q3.xlsx"),
        inbox / "so-noi-vu-q3.xlsx",
        Filling(actuals={rate.code: "71,5 %"}, statuses={task.code: ("Hoàn thành", None)}),
    )
    received(first, "2024-09-18T08:00")
    second = fill_report(
        tmp_path / "q3.xlsx",
        inbox / "so-noi-vu-q3-sua.xlsx",
        Filling(parts={rate.code: (1610, 2000)}, statuses={task.code: ("Hoàn thành", "25/08/2024")}),
    )
    received(second, "2024-09-25T08:00")
    copy = inbox / "email" / "chuyen-tiep.xlsx"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(first, copy)
    received(copy, "2024-09-19T08:00")
    other = fill_report(write_template(half, tmp_path / "h1.xlsx"), inbox / "so-tu-phap-h1.xlsx", Filling())
    received(other, "2024-06-19T08:00")
    (inbox / "hong.xlsx").write_bytes(b"PK\x03\x04 cut short")
    results = build_warehouse(fork, downstream_of("reports"))
    assert all(result.success for result in results)
    assert len(results) == 4  # 2024-Q3, 2024-H1 and the unidentified file, then the build

    sql = "select source_file, submission_status from main.report_submissions"
    statuses = dict(published_rows(fork, sql))
    assert statuses == {
        "kiem-thu/so-noi-vu-q3.xlsx": "superseded",
        "kiem-thu/so-noi-vu-q3-sua.xlsx": "accepted",
        "kiem-thu/email/chuyen-tiep.xlsx": "duplicate",
        "kiem-thu/so-tu-phap-h1.xlsx": "accepted",
        "kiem-thu/hong.xlsx": "rejected",
    }
    counted = published_rows(
        fork,
        f"select actual_value, is_computed, actual_cell from main.report_indicator_values "
        f"where is_counted and indicator_code = '{rate.code}' and period_key = '2024-Q3'",
    )
    assert counted == [(80.5, True, counted[0][2])]
    (done,) = published_rows(
        fork,
        "select completed_on from main.report_task_status "
        f"where is_counted and plan_task_key = '{task.code}'",
    )
    assert str(done[0]) == "2024-08-25"
    # the audit of values: the one figure the corrected file changed, the byte copy no submission of its own
    changes = published_rows(
        fork,
        "select indicator_code, change_kind, old_value, new_value, old_text, new_text, old_file, new_file,"
        " strftime(old_received_at, '%d/%m %H:%M'), strftime(new_received_at, '%d/%m %H:%M')"
        " from bi.report_value_changes where agency_key = 'dong_nai.so_noi_vu' and period_key = '2024-Q3'",
    )
    assert changes == [
        (
            rate.code,
            "changed",
            71.5,
            80.5,  # 1610 / 2000, typed as numerator and denominator
            "71,5 %",
            "",
            "kiem-thu/so-noi-vu-q3.xlsx",
            "kiem-thu/so-noi-vu-q3-sua.xlsx",
            "18/09 08:00",
            "25/09 08:00",
        )
    ]

    assert not pending_work(fork)  # nothing new: a run would only build

    second.unlink()  # the corrected file withdrawn: the first counts again, the history stays
    assert list(pending_work(fork)["reports"]) == ["2024-Q3"]
    assert all(result.success for result in build_warehouse(fork, downstream_of("reports")))
    assert published_rows(
        fork,
        "select submission_status from main.report_submissions "
        "where source_file = 'kiem-thu/so-noi-vu-q3.xlsx'",
    ) == [("accepted",)]
    (versions,) = published_rows(
        fork,
        "select count(*) from raw_reports.report_submission_versions "
        "where source_file = 'kiem-thu/so-noi-vu-q3-sua.xlsx'",
    )
    assert versions == (1,)
    # the tables kept incrementally (by file, by agency) dropped the withdrawn file's rows and brought
    # the first file's back: what rebuilding them whole gives
    kept = (
        "main.report_indicator_values",
        "intermediate.int_report_value_series",
        "main.fact_report_value_jumps",
    )
    incremental = table_digests(fork.published_path)
    assert published_rows(fork, "select count(*) from main.report_indicator_values where is_counted") != [
        (0,)
    ]
    # rebuilt whole, as `cchc run --full` does (the full refresh goes with the whole selection only)
    assert all(result.success for result in build_warehouse(fork, full=True))
    rebuilt = table_digests(fork.published_path)
    assert {table: rebuilt[table] for table in kept} == {table: incremental[table] for table in kept}


def test_figures_that_jump_across_periods_are_listed_for_the_reviewer(fork, tmp_path):
    """Sở Nội vụ's 2024: the online rate 20 % in quý I, 100 % at 6 tháng, then 95 and 96; the cut in
    declarations (year-to-date) 30 % at 6 tháng and 20 % for the year."""
    figures = {
        "2024-Q1": {"online_application_rate": 20.0},
        "2024-H1": {"online_application_rate": 100.0, "declaration_reduction": 30.0},
        "2024-Q3": {"online_application_rate": 95.0},
        "2024-FY": {"online_application_rate": 96.0, "declaration_reduction": 20.0},
    }
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        forms = {period: report_form(conn, "dong_nai.so_noi_vu", period) for period in figures}
    for period, actuals in figures.items():
        template = write_template(forms[period], tmp_path / f"{period}.xlsx")
        filled = fill_report(
            template, fork.reports_dir / f"so-noi-vu-{period}.xlsx", Filling(actuals=actuals)
        )
        received(filled, f"{period[:4]}-12-20T08:00")
    results = build_warehouse(fork, downstream_of("reports"))
    assert all(result.success for result in results)
    (check,) = [
        evaluation
        for result in results
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name == "figures_that_jump"
    ]
    assert not check.passed and check.severity.value == "WARN"  # shown, never a stop
    assert check.description == (
        "3 figures jump across periods (1 cumulative_fall, 1 leap, 1 outlier):"
        " see main.fact_report_value_jumps"
    )
    jumps = published_rows(
        fork,
        "select indicator_code, period_key, jump_kind, actual_value, compared_value, compared_period_key,"
        " robust_z from main.fact_report_value_jumps where agency_key = 'dong_nai.so_noi_vu' order by 1, 2",
    )
    assert jumps == [
        # the year-to-date cut fell from 30 % (6 tháng) to 20 % (năm)
        ("declaration_reduction", "2024-FY", "cumulative_fall", 20.0, 30.0, "2024-H1", None),
        # 20 → 100: 80 points, more than the 50 allowed
        ("online_application_rate", "2024-H1", "leap", 100.0, 20.0, "2024-Q1", None),
        # figures 20, 100, 95, 96: median 95.5; deviations 75.5, 4.5, 0.5, 0.5, their median 2.5;
        # 0.6745 × (20 - 95.5) / 2.5 = -20.37
        ("online_application_rate", "2024-Q1", "outlier", 20.0, 95.5, None, -20.37),
    ]
