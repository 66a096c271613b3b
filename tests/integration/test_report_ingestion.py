"""Reports dropped in raw/reports reach the warehouse: one run per period, the latest file counts,
copies are recognised, broken files are quarantined, what changed between submissions is listed, and
re-runs read nothing twice."""

import shutil

import duckdb

from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.orchestration.runs import pending_work
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
