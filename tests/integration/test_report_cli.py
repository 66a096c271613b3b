"""`cchc report-template` and `cchc demo-reports` against the session's warehouse."""

import re

import openpyxl
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.forms.report import layout
from pipelines.sources.reports.read import read_report


def test_report_template_is_prefilled_from_the_plans(warehouse_settings, tmp_path):
    output = tmp_path / "mau-so-noi-vu-2024-Q3.xlsx"
    result = CliRunner().invoke(
        app, ["report-template", "--agency", "dong_nai.so_noi_vu", "--period", "2024-Q3", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(output)[layout.INDICATORS_SHEET]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    # the province plan (300/KH-UBND) sets 80 % online applications for departments ("cấp sở")
    assert rows["online_application_rate"][4] == "≥ 80 %"
    assert rows["online_application_rate"][9] == "300/KH-UBND"
    assert "pci_rank" not in rows  # ranks in published indices are not asked of agencies
    reading = read_report(output)
    assert (reading.agency_key, reading.period_key) == ("dong_nai.so_noi_vu", "2024-Q3")
    assert len(reading.tasks) >= 10
    general = {
        row[0]: row[1]
        for row in openpyxl.load_workbook(output)[layout.GENERAL_SHEET].iter_rows(min_row=3, values_only=True)
    }
    # from dim_period and the registry: what the clerk needs to fill it without calling anyone
    assert general[layout.CUTOFF] == "từ 15/06/2024 đến 14/09/2024"
    assert general[layout.FIGURES] == "của riêng kỳ báo cáo"
    assert general[layout.DUE_ON] == "20/09/2024"
    assert general[layout.RECIPIENT] == "Sở Nội vụ tỉnh Đồng Nai"


def test_report_template_refuses_an_unknown_agency_or_period(warehouse_settings, tmp_path):
    runner = CliRunner()
    unknown = runner.invoke(
        app, ["report-template", "--agency", "x.y", "--period", "2024-Q3", "-o", "a.xlsx"]
    )
    assert unknown.exit_code == 2 and "không có trong danh mục" in unknown.stderr
    period = runner.invoke(
        app, ["report-template", "--agency", "dong_nai.so_noi_vu", "--period", "2024-Q2", "-o", "a.xlsx"]
    )
    assert period.exit_code == 2 and "NĂM-Q3" in period.stderr


def test_report_template_refuses_a_period_not_open_an_agency_without_work_and_a_non_xlsx_name(
    warehouse_settings, tmp_path
):
    runner = CliRunner()

    def template(agency: str, period: str, name: str = "mau.xlsx"):
        return runner.invoke(
            app, ["report-template", "--agency", agency, "--period", period, "-o", str(tmp_path / name)]
        )

    future = template("dong_nai.so_noi_vu", "2031-Q3")
    assert (
        future.exit_code == 2
        and "Kỳ Quý III/2031 chưa mở: số liệu của kỳ được nhận từ 15/06/2031." in future.stderr
    )
    idle = template("dong_nai.so_noi_vu", "2019-Q1")
    assert idle.exit_code == 2 and "không có chỉ tiêu hay nhiệm vụ nào cho Quý I/2019" in idle.stderr
    csv = template("dong_nai.so_noi_vu", "2024-Q3", "mau.csv")
    assert csv.exit_code == 2 and "hãy đặt tên tệp kết thúc bằng .xlsx" in csv.stderr
    assert not list(tmp_path.iterdir())  # nothing written


def test_demo_reports_are_deterministic(warehouse_settings, tmp_path):
    runner = CliRunner()
    for folder in ("a", "b"):
        result = runner.invoke(app, ["demo-reports", "-o", str(tmp_path / folder)])
        assert result.exit_code == 0, result.output
    first = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.xlsx"))
    assert first == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.xlsx"))
    assert len(first) == 21
    values = [
        [v.actual_text for v in read_report(tmp_path / folder / "2024" / "so_noi_vu_2024-H1.xlsx").indicators]
        for folder in ("a", "b")
    ]
    assert values[0] == values[1] and any(values[0])


def test_a_template_prints_every_task_and_heading_whole(warehouse_settings, tmp_path, office):
    output = tmp_path / "mau.xlsx"
    CliRunner().invoke(
        app, ["report-template", "--agency", "dong_nai.so_noi_vu", "--period", "2024-Q3", "-o", str(output)]
    )
    pdf = office.to_pdf(output, tmp_path)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    assert 4 <= pages <= 8  # instructions, general, indicators, tasks; none spread over many pages
    # every label, STT, indicator, task, expected output, deadline and heading printed in full: nothing
    # cut where a row is too short, nothing run into the row below
    workbook = openpyxl.load_workbook(output)
    tasks = list(workbook[layout.TASKS_SHEET].iter_rows(min_row=4, values_only=True))
    assert any(len(str(row[2])) > 150 for row in tasks if row[1])  # long tasks are among them
    assert sum(1 for row in tasks if row[1] is None) >= 2  # the plan and section headings
    assert office.not_printed_whole(output, pdf) == []
    assert office.overprinted(pdf) == []
    assert office.smallest_type(pdf) >= 8  # one page wide by narrower, wrapped columns, not by shrinking
    margin = workbook[layout.TASKS_SHEET].page_margins.top * 72
    assert office.beyond_the_page(pdf, margin) == []


def test_all_writes_one_template_per_agency_obliged_to_report(warehouse_settings, published, tmp_path):
    obliged = {
        key
        for (key,) in published.execute(
            "select distinct agency_key from bi.report_compliance"
            " where period_key = '2024-Q3' and province_key = 'dong_nai' and is_expected"
        ).fetchall()
    }
    result = CliRunner().invoke(
        app,
        ["report-template", "--all", "--province", "dong_nai", "--period", "2024-Q3", "-o", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    written = {path.name.split("_", 1)[1].removesuffix("_2024-Q3.xlsx") for path in tmp_path.glob("*.xlsx")}
    assert written == obliged and len(obliged) >= 20
    some = tmp_path / "mau-bao-cao_dong_nai.so_noi_vu_2024-Q3.xlsx"
    assert (read_report(some).agency_key, read_report(some).period_key) == ("dong_nai.so_noi_vu", "2024-Q3")


def test_agencies_lists_the_closest_names_first(warehouse_settings):
    result = CliRunner().invoke(app, ["agencies", "so tu phap dong nai", "--limit", "3"])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("dong_nai.so_tu_phap ") and "Sở Tư pháp tỉnh Đồng Nai" in first
