"""One agency computed by hand: Sở Nội vụ Đồng Nai, năm 2024 — its targets, reported values, statuses, task
timing, its internal CCHC index, and the leadership extract that shows it.

Its targets come from the province plan 300/KH-UBND: for "cấp sở" tối thiểu 80% hồ sơ trực tuyến (#18),
80% kết quả điện tử (#13), 30% thanh toán không tiền mặt (#35), and the plan's all-level targets, among them
"100% … thanh toán trực tuyến" (#34), which the classifier files under the same indicator as #35. Its
appendix tasks: #41-#43 (civil service), #53-#54 (digital government), #62-#67 (direction), #17 (procedures).
"""

import dataclasses
import os
import re
import subprocess
from datetime import date, datetime

import duckdb
import openpyxl
import polars as pl
import pytest
from PIL import Image
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.extracts.data import read_par_trend
from pipelines.extracts.export import write_par_trend
from pipelines.extracts.report_form import report_form
from pipelines.forms.extract import charts
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from tests.integration.conftest import PlanKeys, build_warehouse, downstream_of, fork_warehouse, point_cli_at

PLAN = "kh-300-ubnd-dong-nai-2024.md"
AGENCY = "dong_nai.so_noi_vu"


@pytest.fixture(scope="module")
def plan(warehouse_settings) -> PlanKeys:
    """The province plan's tasks and targets by their place in the file (#63: its 63rd task)."""
    return PlanKeys.of(warehouse_settings.published_path, PLAN)


@pytest.fixture(scope="module")
def reported(warehouse_settings, plan, tmp_path_factory):
    """A fork of the warehouse with Sở Nội vụ's annual report for 2024 in it; `cchc` points at it."""
    task = plan.tasks.__getitem__
    settings = fork_warehouse(warehouse_settings, tmp_path_factory.mktemp("reported"))
    with duckdb.connect(str(settings.published_path), read_only=True) as conn:
        form = report_form(conn, AGENCY, "2024-FY")
    assert {task(n) for n in (43, 54, 63, 66)} <= {line.code for line in form.tasks}
    report = fill_report(
        write_template(form, tmp_path_factory.mktemp("template") / "fy.xlsx"),
        settings.reports_dir / "tinh-tay" / "so-noi-vu-2024.xlsx",
        Filling(
            # 75 % with a sample dossier against the plan's bare "70% hồ sơ … có hồ sơ mẫu": a floor, met
            actuals={"online_application_rate": "81,5 %", "sample_dossier_rate": "75 %"},
            parts={"online_payment_rate": (45, 200)},
            statuses={
                task(63): ("Hoàn thành", date(2024, 3, 20)),  # due 31/3: on time
                task(66): ("Hoàn thành", date(2024, 10, 15)),  # due 30/9: late
                task(43): ("Hoàn thành", date(2024, 11, 30)),  # recurring: done counts as on time
                task(54): ("Đang thực hiện", None),  # due 30/6: overdue
            },
        ),
    )
    moment = datetime(2024, 12, 18, 9).timestamp()
    os.utime(report, (moment, moment))
    assert all(result.success for result in build_warehouse(settings, downstream_of("reports")))
    with pytest.MonkeyPatch.context() as monkeypatch:
        point_cli_at(monkeypatch, settings)
        yield settings


def test_statuses_gaps_and_ratios_of_a_reported_year(reported, plan):
    with duckdb.connect(str(reported.published_path), read_only=True) as conn:
        rows = conn.execute(
            """
            select target_key, target_source, actual_value, gap, achievement_ratio, status, status_vi
            from main.fact_target_progress
            where agency_key = 'dong_nai.so_noi_vu' and period_key = '2024-FY'
                and indicator_code in (
                    'online_application_rate', 'online_payment_rate', 'electronic_result_rate'
                )
            """
        ).fetchall()
    place = {key: str(seq) for seq, key in plan.targets.items()}  # every target is the plan's
    by_target = {place[row[0]]: row[1:] for row in rows}
    assert set(by_target) == {"13", "18", "34", "35"}  # not the district (#19) or commune (#20) targets
    assert by_target["18"][:2] == ("province", 81.5)
    assert by_target["18"][2] == pytest.approx(1.5)
    assert by_target["18"][3:] == (pytest.approx(1.0188), "met", "đạt")
    assert by_target["35"][1:] == (22.5, -7.5, 0.75, "not_met", "chưa đạt")
    assert by_target["34"][1:] == (22.5, -77.5, 0.225, "not_met", "chưa đạt")
    assert by_target["13"][1:] == (None, None, None, "no_data", "chưa có số liệu")
    with duckdb.connect(str(reported.published_path), read_only=True) as conn:
        sample_dossier = conn.execute(
            """
            select comparator, actual_value, gap, achievement_ratio, status_vi from main.fact_target_progress
            where target_key = $target and agency_key = $agency and period_key = '2024-FY'
            """,
            {"target": plan.targets[5], "agency": AGENCY},
        ).fetchone()
    # "70% hồ sơ thủ tục hành chính có hồ sơ mẫu" says no comparator: more is better, so at least 70;
    # 75 beats it by 5 (75 / 70 = 1.0714)
    assert sample_dossier[:3] == (">=", 75.0, 5.0)
    assert sample_dossier[3] == pytest.approx(1.0714, abs=1e-4)
    assert sample_dossier[4] == "đạt"


# Per field: (targets counted, met, tasks counted, on time, points). Targets: 32 for cấp sở or all levels on
# 26 indicators, and a report cell counts once: each indicator once, against its most demanding target
# (#27 100 not #28 90 job schemes, #31 100 not #30 50 training, #34 100 not #35 30 online payment, #6 not
# #7, #3 not #4, and #16 for online services, which #33 (digital government) restates; #17, integration on
# the national portal, is a measure of its own, in the same sentence as #16). Met:
# #18 (81.5 against at least 80) and #5 (75 against a bare 70). Tasks counted: due by 31/12/2024 or
# done; recurring ones not done and #53 (no date) do not.
HAND_COMPUTED = {
    "direction": (
        3,
        0,
        4,
        1,
        1.43,
    ),  # #62 (due 31/1) and #64 (31/12) not reported, #63 on time, #66 late: 10 × 1/7
    "institutions": (2, 0, 0, 0, 0.0),
    "procedures": (14, 2, 0, 0, 2.07),  # 14.5 × 2/14
    "organisation": (1, 0, 0, 0, 0.0),
    "civil_service": (4, 0, 2, 1, 2.67),  # #42 (due 30/6) not reported, #43 done: 16 × 1/6
    "public_finance": (0, 0, 0, 0, None),  # nothing to count: not scored
    "digital_government": (2, 0, 1, 0, 0.0),  # #40 and #34; #54 overdue
    "impact": (0, 0, 0, 0, None),
}


def test_the_internal_index_of_the_agency(reported, plan):
    with duckdb.connect(str(reported.published_path), read_only=True) as conn:
        areas = conn.execute(
            """
            select area_key, targets_counted, targets_met, tasks_counted, tasks_on_time, points
            from main.mart_cchc_index_area where agency_key = $agency and report_year = 2024
            """,
            {"agency": AGENCY},
        ).fetchall()
        total = conn.execute(
            """
            select scored_max_points, earned_points, total_score, rank_in_level,
                scoring_period_key, is_provisional
            from main.mart_cchc_index where agency_key = $agency and report_year = 2024
            """,
            {"agency": AGENCY},
        ).fetchone()
        others = conn.execute(
            """
            select count(*) filter (where total_score is not null or earned_points is not null),
                count(*) filter (where is_ranked)
            from main.mart_cchc_index
            where report_year = 2024 and agency_level = 'department' and agency_key <> $agency
            """,
            {"agency": AGENCY},
        ).fetchone()
        timing = dict(
            conn.execute(
                "select item_key, item_status from main.mart_cchc_index_items "
                "where agency_key = $agency and item_kind = 'task'",
                {"agency": AGENCY},
            ).fetchall()
        )
    assert {area: tuple(values) for area, *values in areas} == HAND_COMPUTED
    # 10 + 10 + 14.5 + 11 + 16 + 16 points could be earned; 1.43 + 2.07 + 2.67 were: 6.17 / 77.5 = 7.96 %
    assert total == (77.5, 6.17, 7.96, 1, "2024-FY", False)
    # no other department reported: none has a score (not 0: nothing was reported) and none is ranked
    assert others == (0, 0)
    assert timing == {
        f"{plan.tasks[n]}|{AGENCY}|2024-FY": status
        for n, status in [
            (62, "not_reported"),
            (63, "done_on_time"),
            (64, "not_reported"),
            (66, "done_late"),
            (42, "not_reported"),
            (43, "done_on_time"),
            (54, "overdue"),
        ]
    }


def test_the_leadership_extract_shows_the_agency(reported, tmp_path):
    result = CliRunner().invoke(
        app, ["extract", "par-trend", "--year", "2024", "--province", "dong_nai", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "par-trend-2024"
    workbook = openpyxl.load_workbook(folder / "par-trend-dong_nai-2024.xlsx")
    assert workbook.sheetnames == [
        "Tổng hợp",
        "Các tỉnh",
        "Xu hướng",
        "Theo lĩnh vực",
        "Chỉ tiêu",
        "Phương pháp",
    ]
    # every province in the latest full PCI table, the province's bar marked, the national mean a line
    provinces = workbook["Các tỉnh"]
    rows = list(provinces.iter_rows(values_only=True))
    # printed in two halves side by side (ranks 1-32, then 33-63 from column F), one page
    ranked = [row[:4] for row in rows if isinstance(row[0], int)]
    ranked += [row[5:9] for row in rows if isinstance(row[5], int) and isinstance(row[6], str)]
    assert len(ranked) == 63 and [row[0] for row in ranked] == sorted(row[0] for row in ranked)
    best, rest, components = provinces._charts
    # a chart per half of the table (ranks 1-32 in column C, 33-63 in H), each reading its half's scores
    halves = [
        re.fullmatch(r"'Các tỉnh'!\$(\w)\$(\d+):\$\w\$(\d+)", c.series[0].val.numRef.f) for c in (best, rest)
    ]
    assert [(half[1], int(half[3]) - int(half[2]) + 1) for half in halves] == [("C", 32), ("H", 31)]
    # one bar marked over both charts, Đồng Nai's; every province's score the same national mean beside it
    ((half, index),) = [
        (at, point.idx) for at, chart in enumerate((best, rest)) for point in chart.series[0].dPt
    ]
    assert ranked[half * 32 + index][1] == "Đồng Nai" and len({row[3] for row in ranked}) == 1
    # the province's PCI sub-indices against the national average, the widest lag first
    parts = [row for row in rows if row[1] is None and all(isinstance(value, float) for value in row[2:5])]
    gaps = [row[4] for row in parts]
    assert len(parts) >= 8 and gaps == sorted(gaps, reverse=True)
    assert all(abs(row[2] - row[3] - row[4]) < 0.011 for row in parts)  # the mean is shown rounded
    assert len(components.series) == 2  # the province and the national average
    summary = workbook["Tổng hợp"]
    assert summary["A1"].value == "Chỉ số cải cách hành chính tỉnh Đồng Nai năm 2024"
    assert summary["A2"].value.startswith("Điểm theo báo cáo năm 2024.")  # the period in words, not 2024-FY
    ranking = {
        row[2]: row for row in summary.iter_rows(values_only=True) if row[2] == "Sở Nội vụ tỉnh Đồng Nai"
    }
    _, rank, _, score, trend, change, previous = ranking["Sở Nội vụ tỉnh Đồng Nai"][:7]
    assert (rank, score, trend, change, previous) == (1, 7.96, "mới", None, None)  # as in the index test
    # only agencies with a counted report for the scoring period are ranked; the others are listed apart
    with duckdb.connect(str(reported.published_path), read_only=True) as conn:
        reporting = {
            name
            for (name,) in conn.execute(
                "select agency_name_vi from main.mart_cchc_index where report_year = 2024"
                " and province_key = 'dong_nai' and has_counted_report"
            ).fetchall()
        }
        (obliged,) = conn.execute(
            "select agencies_obliged from main.mart_province_index_trend"
            " where province_key = 'dong_nai' and report_year = 2024 and is_internal"
        ).fetchone()
    rows = list(summary.iter_rows(values_only=True))
    assert {row[2] for row in rows if isinstance(row[1], int)} == reporting == {"Sở Nội vụ tỉnh Đồng Nai"}
    unranked = [row for row in rows if row[3] == "chưa báo cáo – không xếp hạng"]
    assert len(unranked) > 10 and all(row[1] is None for row in unranked)
    headline = next(row for row in rows if str(row[0]).startswith("Chỉ số CCHC nội bộ"))
    assert headline[0].endswith(f"đã báo cáo): 1/{obliged} cơ quan") and obliged > 20
    assert headline[4] == 7.96  # the mean of the one agency that reported, not of every agency
    # an official index: the latest year published, the rank among all provinces ranked, the national mean
    pci = next(row for row in rows if row[0] == "Chỉ số năng lực cạnh tranh cấp tỉnh")
    year, score, rank, provinces, national = pci[3:8]
    assert (year, provinces) == (2014, 63) and 1 <= rank <= 63 and 40 < national < 80 and score is not None
    # the plan sentence "- Năng lực cạnh tranh …" is text, never a formula
    sentence = next(
        cell for row in summary.iter_rows() for cell in row if str(cell.value).startswith("- Năng lực")
    )
    assert sentence.data_type == "s" and sentence.quotePrefix
    pci_target = next(row for row in rows if row[0] == "PCI" and row[7] == "300/KH-UBND")
    assert pci_target[9] == 20 and isinstance(pci_target[9], int)  # a rank is a whole number
    # the PAR Index method in force is named for the year, and which method's weights were applied
    method = list(workbook["Phương pháp"].iter_rows(values_only=True))
    in_2024 = next(row for row in method if row[0] == "Năm 2024")
    assert "876/QĐ-BNV" in in_2024[1]
    assert "2948/QĐ-BNV" in in_2024[3] and "chưa có trong dữ liệu" in in_2024[3]
    assert not any(".md" in str(cell) for row in method for cell in row)  # citations, never file paths
    assert len(workbook["Xu hướng"]._charts) == 3 and len(workbook["Theo lĩnh vực"]._charts) == 1
    targets = list(workbook["Chỉ tiêu"].iter_rows(values_only=True))
    # targets with a figure row by row, by field; those without one counted per agency and field
    measured = [row for row in targets if row[0] == "Sở Nội vụ tỉnh Đồng Nai" and row[4] is not None]
    (missing,) = [row[2] for row in targets if row[0] == "Sở Nội vụ tỉnh Đồng Nai" and row[4] is None]
    assert len(measured) + missing == 26 and 0 < len(measured) < 10  # the 26 indicators of the index
    assert sum(row[4] == "đạt" for row in measured) == 2  # #18 and #5
    assert len(targets) < 40  # was 800 rows of "chưa có số liệu" over 11 pages
    csv_text = (folder / "par-trend-dong_nai-2024.csv").read_text(encoding="utf-8-sig")
    # for Excel on a Vietnamese Windows: `;` between fields, the decimal comma; 7,96 of 100
    assert (
        "Chỉ số CCHC nội bộ;Sở Nội vụ tỉnh Đồng Nai;Cấp sở (sở, ban, ngành cấp tỉnh);2024;7,96;7,96;100;"
        in csv_text
    )
    # an official figure names who published it and the file and sheet it was read from, in Vietnamese
    assert re.search(r"cạnh tranh cấp tỉnh;;2014;[^\n]*;VCCI – tệp PCI_2014\.xlsx, trang \w+", csv_text)
    for chart in ("chi-so-tinh", "cac-tinh", "thanh-phan", "co-quan", "linh-vuc"):
        image = (folder / f"par-trend-dong_nai-2024-{chart}.png").read_bytes()
        assert image.startswith(b"\x89PNG") and len(image) > 20_000


def test_the_extract_opens_and_its_charts_render_in_libreoffice(reported, tmp_path, office):
    CliRunner().invoke(app, ["extract", "par-trend", "--year", "2024", "-o", str(tmp_path)])
    workbook = tmp_path / "par-trend-2024" / "par-trend-dong_nai-2024.xlsx"
    pdf = office.to_pdf(workbook, tmp_path)
    # one sheet at least a page, a page per chart; on A4 landscape every text prints at 8 pt or more, the
    # type of the sheets, of the notes under them and of the charts' names and years (it was 2 to 5 pt):
    # more pages, not smaller type
    assert 6 <= len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) <= 30
    assert office.smallest_type(pdf) >= 8
    # the first page opens with the year in a few sentences, before any table
    summary = openpyxl.load_workbook(workbook)["Tổng hợp"]
    opening = [value for (value,) in summary.iter_rows(min_row=3, max_col=1, values_only=True)]
    opening = opening[: opening.index(None)]
    page_one = " ".join(office.text(pdf, page=1).split())
    assert 3 <= len(opening) <= 6 and page_one.index(opening[-1]) < page_one.index("1. Các chỉ số")
    # Sở Nội vụ, the one agency that reported, leads its level with the score of the index test
    assert "Cấp sở: Sở Nội vụ tỉnh Đồng Nai dẫn đầu với 7,96 điểm (1 cơ quan được xếp hạng)." in opening
    # each chart on its page: a chart cut by a page break is drawn on both pages past the printed area;
    # and no text printed over other text (a wrapped cell taller than its row runs into the next one)
    margin = openpyxl.load_workbook(workbook)["Xu hướng"].page_margins.top * 72
    assert office.beyond_the_page(pdf, margin) == []
    assert office.overprinted(pdf) == []
    # and every label, name and sentence of every sheet printed whole, none cut at the next column
    assert office.not_printed_whole(workbook, pdf) == []
    # as printed: every agency of the summary appears whole, and no wrapped header label runs into
    # the values under it ("Năm công bố gần nhất", "Điểm (thang 100)")
    printed = " ".join(office.text(pdf).split())
    agencies = {
        row[2] for row in summary.iter_rows(min_row=5, values_only=True) if str(row[2]).startswith("Sở ")
    }
    assert len(agencies) > 10 and all(name in printed for name in agencies)
    first_page = office.text(pdf, layout=True, page=1).splitlines()
    index_rows = [
        line for line in first_page if line.startswith("Chỉ số ") and re.search(r"\b20\d\d\b", line)
    ]
    assert len(index_rows) >= 3
    assert not [line for line in index_rows if any(word in line for word in ("nhất", "100)", "(thang"))]
    subprocess.run(
        [office.pdftoppm, "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=180
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 5 and all(page.stat().st_size > 1_000 for page in pages)


def test_a_chart_is_drawn_again_only_when_its_figures_change(reported, tmp_path):
    """Every build writes the extracts; a chart whose figures did not change is left as it was."""
    with duckdb.connect(str(reported.published_path), read_only=True) as conn:
        trend = read_par_trend(conn, "dong_nai", 2024, datetime(2025, 1, 6, 8))
    first = write_par_trend(trend, tmp_path / "first")
    pngs = [path for path in first if path.suffix == ".png"]
    assert len(pngs) == 5
    # the next day's build: only when the copy was made differs, which no chart shows (drawn anew
    # elsewhere, each picture is the same to the byte)
    later = dataclasses.replace(
        trend,
        built_at=datetime(2025, 1, 7, 8),
        freshness=pl.DataFrame({"label": ["Dữ liệu kho tại thời điểm"], "value": ["07/01/2025 08:00"]}),
    )
    again = [path for path in write_par_trend(later, tmp_path / "again") if path.suffix == ".png"]
    assert [path.read_bytes() for path in again] == [path.read_bytes() for path in pngs]
    for path in first:
        os.utime(path, ns=(0, 0))
    written = write_par_trend(later, tmp_path / "first")
    assert [path.stat().st_mtime_ns for path in written if path.suffix == ".png"] == [0] * 5
    assert all(path.stat().st_mtime_ns > 0 for path in written if path.suffix != ".png")  # workbook, CSV
    # a PNG cut short (a copy that did not finish) is drawn again whole, the others left as they are
    whole = pngs[0].read_bytes()
    pngs[0].write_bytes(whole[:500])
    written = write_par_trend(later, tmp_path / "first")
    assert [path.stat().st_mtime_ns > 0 for path in written if path.suffix == ".png"] == [True] + [False] * 4
    assert pngs[0].read_bytes() == whole
    # one agency's score changes: the charts are drawn again
    for path in pngs:
        os.utime(path, ns=(0, 0))
    scores = trend.agency_trend.with_columns(pl.col("total_score") + 1)
    redrawn = write_par_trend(dataclasses.replace(later, agency_trend=scores), tmp_path / "first")
    assert all(path.stat().st_mtime_ns > 0 for path in redrawn if path.suffix == ".png")
    assert not list((tmp_path / "first").glob(".*"))  # no partial file left


def test_a_long_agency_name_in_the_charts_legend_is_drawn_whole(reported, tmp_path):
    """The agency chart's legend sits beside the axes: with names longer than the sample's, it ran past
    the picture's right edge and was cut (122 dark pixels in the last two columns); now the picture
    takes it whole, and nothing is drawn on its edge."""
    with duckdb.connect(str(reported.published_path), read_only=True) as conn:
        trend = read_par_trend(conn, "dong_nai", 2024, datetime(2025, 1, 6, 8))
    longer = pl.col("agency_name_vi") + " và các đơn vị trực thuộc"
    trend = dataclasses.replace(
        trend,
        agency_trend=trend.agency_trend.with_columns(longer),
        agencies=trend.agencies.with_columns(longer),
    )
    path = charts.draw(charts.agency_chart, trend, tmp_path / "co-quan.png", charts.figures_drawn(trend))
    with Image.open(path) as image:
        grey = image.convert("L")
        width, height = grey.size
        edge = [grey.getpixel((x, y)) for x in (width - 2, width - 1) for y in range(height)]
    assert min(edge) >= 250
