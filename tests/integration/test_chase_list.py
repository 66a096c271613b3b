"""The run the statutory schedule asks for on 21 September 2024 writes the 2024-Q3 chase list: every
agency expected to report and missing, from the published copy, printable on one page width."""

from __future__ import annotations

import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import openpyxl

from pipelines.definitions import build_definitions
from pipelines.orchestration.automation import BUILD_JOB, after_report_due_date


def test_the_tick_of_21_september_writes_the_q3_chase_list(fork, office, tmp_path):
    tick = datetime(2024, 9, 21, 6, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    request = after_report_due_date(dg.build_schedule_context(scheduled_execution_time=tick))
    defs = build_definitions(fork)
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def(BUILD_JOB).execute_in_process(
            instance=instance, run_config=request.run_config, asset_selection=[dg.AssetKey("chase_list")]
        )
    assert result.success
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        expected = conn.execute(
            "select agency_name_vi from bi.report_compliance where period_key = '2024-Q3' and is_expected"
            " and compliance_status in ('missing', 'late') order by 1"
        ).fetchall()
    assert expected
    path = fork.extracts_dir / "don-doc" / "don-doc-2024-Q3.xlsx"
    sheet = openpyxl.load_workbook(path)["Đồng Nai"]
    assert sheet["A1"].value == "Danh sách đôn đốc báo cáo cải cách hành chính – Quý III/2024"
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert sorted((row[1],) for row in rows) == expected
    assert {row[3] for row in rows} == {"chưa nộp"} and all(
        row[4].date().isoformat() == "2024-09-20" for row in rows
    )
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"

    pdf = office.to_pdf(path, tmp_path)
    # printed for a person: no type below 8 pt, every name, level and reason whole
    assert office.smallest_type(pdf) >= 8
    assert office.not_printed_whole(path, pdf) == []
    subprocess.run(
        [office.pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    assert (tmp_path / "page-1.png").stat().st_size > 10_000
