"""The run the statutory schedule asks for on 21 September 2024 writes the 2024-Q3 chase list: every
agency expected to report and missing, from the published copy, printable on one page width; and
`cchc chase-list` writes any period's, with the latest reporter's name, phone and e-mail."""

from __future__ import annotations

import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import openpyxl
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.definitions import build_definitions
from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.orchestration.automation import BUILD_JOB, after_report_due_date
from tests.integration.conftest import build_warehouse, downstream_of, received


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


def test_the_chase_list_of_any_period_gives_the_latest_reporters_name_phone_and_email(fork, office, tmp_path):
    """Sở Nội vụ sent its quý III report (an earlier one for 6 tháng with an older phone) and nothing for
    the year: `cchc chase-list --period 2024-FY` lists it, with the quý III file's contact."""
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        quarter = report_form(conn, "dong_nai.so_noi_vu", "2024-Q3")
        half = report_form(conn, "dong_nai.so_noi_vu", "2024-H1")
    inbox = fork.reports_dir / "so-noi-vu"
    older = Filling(submitter="Lê Văn Tâm", phone="0251 3822 000", email="letam@dongnai.gov.vn")
    newer = Filling(submitter="Trần Thị Bích Ngọc", phone="0912 345 678", email="vanthu.snv@dongnai.gov.vn")
    received(
        fill_report(write_template(half, tmp_path / "h1.xlsx"), inbox / "6-thang.xlsx", older), "2024-07-10"
    )
    received(
        fill_report(write_template(quarter, tmp_path / "q3.xlsx"), inbox / "quy-3.xlsx", newer), "2024-09-19"
    )
    assert all(result.success for result in build_warehouse(fork, downstream_of("reports")))

    done = CliRunner().invoke(app, ["chase-list", "--period", "2024-FY", "-o", str(tmp_path / "don-doc")])
    assert done.exit_code == 0, done.output
    path = tmp_path / "don-doc" / "don-doc-2024-FY.xlsx"
    assert done.output.strip() == str(path)
    sheet = openpyxl.load_workbook(path)["Đồng Nai"]
    assert sheet["A1"].value == "Danh sách đôn đốc báo cáo cải cách hành chính – Năm 2024"
    assert sheet["I4"].value == "Người báo cáo gần nhất, liên hệ"
    rows = {row[1]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Sở Nội vụ tỉnh Đồng Nai"][8] == "Trần Thị Bích Ngọc\n0912 345 678\nvanthu.snv@dongnai.gov.vn"
    assert rows["Sở Tư pháp tỉnh Đồng Nai"][8] is None  # never reported: nobody to name

    pdf = office.to_pdf(path, tmp_path)
    assert office.smallest_type(pdf) >= 8
    assert office.not_printed_whole(path, pdf) == []
    assert "###" not in office.text(pdf)  # no date too wide for its column
    unknown = CliRunner().invoke(app, ["chase-list", "--period", "2024-Q2"])
    assert unknown.exit_code == 2 and "2024-Q2" in unknown.output
