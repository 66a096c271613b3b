"""The 2024 scoring round of Đồng Nai's departments, end to end, for two agencies, every figure worked out by
hand below from what the agencies sent.

Reports sent in 2024 (due the 20th of March, June, September, December):
- Sở Tư pháp: quý I on 18/03, 6 tháng on 19/06, quý III on 18/09, năm on 18/12: 4 of 4 on time. Its annual
  report marks 2 of its 3 recurring tasks done ("Hoàn thành", 15/06/2024) and one in progress (a recurring
  task in progress does not count): 2/2 done on time. It types no figure: its 26 targets have no data, 0/26.
- Sở Nội vụ: quý I on 18/03, 6 tháng on 25/06 (late), quý III on 19/09, năm on 19/12: 3 of 4 on time. Its
  annual report marks all 12 of its tasks done on 15/01/2024, before any deadline: 12/12. It types 100 for
  every rate and the printed target for the other figures: 26/26 met (plan 300/KH-UBND sets two targets
  for two rates, 50 % and 100 % of officials trained, 30 % and 100 % paid online: the higher counts).

The set's data criteria (dbt/seeds/criteria.csv): 1.1.4 tasks, "trên 90%: 2; 70-90%: 1"; 1.2.1 reports,
all on time 1 else 0; 1.5 targets, 100 %: 2, from 80 %: 1. So Sở Tư pháp's data give 2 + 1 + 0 = 3 points,
Sở Nội vụ's 2 + 0 + 2 = 4.

Self-assessments (the other criteria; 8.1 is the survey's):
- Sở Tư pháp claims 1.1.1 = 1, 1.4 = 2, 2.2 = 3, 3.1 = 4 with a document each, and 5.3 = 4 with an
  explanation: 14, so 17 with its data.
- Sở Nội vụ claims 1.1.1 = 1, 1.4 = 2, 1.6 = 1, 2.2 = 3, 2.3 = 3, 3.1 = 4, 3.3 = 5, 5.1 = 3, 5.2 = 3, 5.3 = 4:
  29, so 33 with its data; its proof fails each kind of check (see FINDINGS).

The appraisal workbook proposes the data's scores, the agencies' own where proof stands, and 0 for 5.3
of Sở Nội vụ (scored without proof, the reason written beside); the departments that sent no
self-assessment get no proposal. The council keeps Sở Tư pháp's and gives its survey 18:
(17 + 18) / 100 = 35.00. It cuts Sở Nội vụ's 1.1.1 to 0.5, 1.4 to 0 and 3.3 to 0, confirms 5.3 at 0, and
gives its survey 12: 33 − 0.5 − 2 − 5 − 4 = 21.5 appraised, + 12 = 33.50. Sở Tư pháp ranks 1st, Sở Nội vụ
2nd of the 2 departments appraised (the others are not appraised yet: no index, no rank); Sở Nội vụ
claimed 11.5 points more than it was given.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pdfplumber
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from tests.integration.conftest import build_warehouse, downstream_of, published_rows, received

JUSTICE, HOME = "dong_nai.so_tu_phap", "dong_nai.so_noi_vu"
RECEIVED = {
    JUSTICE: {
        "2024-Q1": "2024-03-18",
        "2024-H1": "2024-06-19",
        "2024-Q3": "2024-09-18",
        "2024-FY": "2024-12-18",
    },
    HOME: {
        "2024-Q1": "2024-03-18",
        "2024-H1": "2024-06-25",
        "2024-Q3": "2024-09-19",
        "2024-FY": "2024-12-19",
    },
}
LINK = "https://vbdh.dongnai.gov.vn/van-ban/"
# code → (score, explanation, [(number, issued, issuer, link)])
CLAIMS = {
    JUSTICE: {
        "1.1.1": (1, None, [("12/KH-STP", date(2024, 1, 10), "Sở Tư pháp", LINK + "12")]),
        "1.4": (2, None, [("20/KH-STP", date(2024, 2, 1), "Sở Tư pháp", LINK + "20")]),
        "2.2": (3, None, [("35/BC-STP", date(2024, 12, 10), "Sở Tư pháp", LINK + "35")]),
        "3.1": (4, None, [("1234/QĐ-UBND", date(2024, 5, 10), "UBND tỉnh Đồng Nai", LINK + "1234")]),
        "5.3": (4, "Năm 2024 không có công chức bị kỷ luật.", []),
    },
    HOME: {
        "1.1.1": (1, None, [("KH so 5", date(2024, 1, 10), "Sở Nội vụ", LINK + "5")]),
        "1.4": (2, None, [("7/KH-SNV", date(2023, 3, 1), "Sở Nội vụ", LINK + "7")]),
        "1.6": (1, None, [("9/QĐ-SNV", date(2024, 5, 5), "Sở Tư pháp", LINK + "9")]),
        "2.2": (3, None, [("11/BC-SNV", date(2024, 12, 1), "Phòng Văn thư ABC", LINK + "11")]),
        "2.3": (3, None, [("13/KH-SNV", date(2024, 2, 2), "Sở Nội vụ", "lưu trữ nội bộ")]),
        "3.1": (4, None, [("1234/QĐ-UBND", date(2024, 5, 10), "UBND tỉnh Đồng Nai", LINK + "1234")]),
        "3.3": (5, None, [("20/KH-STP", date(2024, 2, 1), "Sở Tư pháp", LINK + "20")]),
        "5.1": (3, None, [("21/QĐ-SNV", date(2024, 3, 3), "Sở Nội vụ", LINK + "21")]),
        "5.2": (3, None, [("21/QĐ-SNV", date(2024, 3, 3), "Sở Nội vụ", LINK + "21")]),
        "5.3": (4, None, []),
    },
}
# (agency, criterion, finding, cell of the evidence or score sheet)
FINDINGS = [
    (HOME, "1.1.1", "number_shape", "C5"),
    (HOME, "1.4", "date_outside", "D6"),
    (HOME, "1.6", "issuer_not_allowed", "E7"),
    (HOME, "2.2", "issuer_unknown", "E8"),
    (HOME, "2.3", "link_invalid", "G9"),
    (HOME, "3.3", "issuer_not_allowed", "E11"),
    (HOME, "3.3", "shared_across_agencies", "C11"),
    (HOME, "5.1", "reused_for_criteria", "C12"),
    (HOME, "5.2", "reused_for_criteria", "C13"),
    (HOME, "5.3", "no_evidence", "G37"),
    (JUSTICE, "1.4", "shared_across_agencies", "C6"),
]
# the council: (agency, code) → (score, reason); every other row of the two agencies keeps its proposal
APPRAISED = {
    (HOME, "1.1.1"): (0.5, "Số hiệu văn bản không đúng quy định, chưa xác minh được."),
    (HOME, "1.4"): (0, "Kế hoạch ban hành năm 2023, không phải của năm đánh giá."),
    (HOME, "3.3"): (0, "Tài liệu là kế hoạch của Sở Tư pháp."),
    (HOME, "8.1"): (12, None),
    (JUSTICE, "8.1"): (18, None),
}


def _reports(settings, tmp_path: Path) -> None:
    """The eight reports of the scenario, each received on its day."""
    with duckdb.connect(str(settings.published_path), read_only=True) as conn:
        forms = {
            (agency, period): report_form(conn, agency, period)
            for agency in RECEIVED
            for period in RECEIVED[agency]
        }
    assert [len(forms[agency, "2024-FY"].tasks) for agency in (JUSTICE, HOME)] == [3, 12]
    for (agency, period), form in forms.items():
        filling = Filling(submitter="Nguyễn Văn An", email="an@dongnai.gov.vn")
        if (agency, period) == (JUSTICE, "2024-FY"):
            first, second, third = (task.code for task in form.tasks)
            filling.statuses = {
                first: ("Hoàn thành", date(2024, 6, 15)),
                second: ("Hoàn thành", date(2024, 6, 15)),
                third: ("Đang thực hiện", None),
            }
        if (agency, period) == (HOME, "2024-FY"):
            filling.statuses = {task.code: ("Hoàn thành", date(2024, 1, 15)) for task in form.tasks}
            filling.actuals = {
                line.code: 100 if line.is_rate else line.target
                for line in form.indicators
                if line.target is not None
            }
        template = write_template(form, tmp_path / f"{agency}-{period}.xlsx")
        path = settings.reports_dir / "vong-2024" / f"{agency.split('.')[1]}-{period}.xlsx"
        received(fill_report(template, path, filling), f"{RECEIVED[agency][period]}T09:00")


def _template(agency: str, tmp_path: Path) -> Path:
    done = CliRunner().invoke(
        app, ["self-assessment-template", "--agency", agency, "--year", "2024", "-o", str(tmp_path / "mau")]
    )
    assert done.exit_code == 0, done.output
    return Path(done.output.strip())


def _prefilled(path: Path) -> dict[str, tuple]:
    sheet = openpyxl.load_workbook(path)["Tự đánh giá"]
    return {
        row[0]: (row[4], row[5], sheet.cell(number, 7).protection.locked)
        for number, row in enumerate(sheet.iter_rows(min_row=10, values_only=True), start=10)
        if row[4] is not None
    }


def _fill_self_assessment(template: Path, agency: str, into: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    sheet, evidence = workbook["Tự đánh giá"], workbook["Tài liệu kiểm chứng"]
    sheet["C5"], sheet["C7"] = "Trần Thị Bình", "binh@dongnai.gov.vn"
    rows = {sheet.cell(row, 1).value: row for row in range(10, sheet.max_row + 1)}
    at = 5
    for code, (score, explanation, documents) in CLAIMS[agency].items():
        sheet.cell(rows[code], 7, score)
        sheet.cell(rows[code], 8, explanation)
        for number, issued, issuer, link in documents:
            for column, value in enumerate((code, number, issued, issuer, "Văn bản", link), start=2):
                evidence.cell(at, column, value)
            at += 1
    into.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(into)
    received(into, "2025-01-20T10:00")


def _fill_appraisal(path: Path, into: Path) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Thẩm định"]
    headers = {cell.value: cell.column for cell in sheet[5]}
    sheet["C3"] = "Hội đồng thẩm định tỉnh"
    for row in sheet.iter_rows(min_row=6):
        key = (row[headers["Mã cơ quan"] - 1].value, row[headers["Mã"] - 1].value)
        score, reason = row[headers["Điểm thẩm định"] - 1], row[headers["Lý do"] - 1]
        assert (score.value is None) == (key[0] not in (JUSTICE, HOME) or key[1] == "8.1")  # nothing proposed
        if key == (HOME, "5.3"):  # a score without proof: 0 proposed, with the reason
            assert (score.value, reason.value) == (
                0,
                "Không có tài liệu kiểm chứng hoặc giải trình: điểm không được công nhận.",
            )
        if key in APPRAISED:
            score.value, reason.value = APPRAISED[key]
    into.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(into)
    received(into, "2025-02-20T15:00")


def test_the_scoring_round_from_self_assessment_to_ranking(fork, office, tmp_path):
    _reports(fork, tmp_path)
    assert all(result.success for result in build_warehouse(fork, downstream_of("reports")))

    # the data criteria come prefilled and locked, as the warehouse counts them
    templates = {agency: _template(agency, tmp_path) for agency in (JUSTICE, HOME)}
    assert _prefilled(templates[JUSTICE]) == {
        "1.1.4": (2, "2/2 nhiệm vụ hoàn thành đúng hạn (100 %): 2/2", True),
        "1.2.1": (1, "4/4 báo cáo đúng hạn (100 %): 1/1", True),
        "1.5": (0, "0/26 chỉ tiêu đạt (0 %): 0/2", True),
    }
    assert _prefilled(templates[HOME]) == {
        "1.1.4": (2, "12/12 nhiệm vụ hoàn thành đúng hạn (100 %): 2/2", True),
        "1.2.1": (0, "3/4 báo cáo đúng hạn (75 %): 0/1", True),
        "1.5": (2, "26/26 chỉ tiêu đạt (100 %): 2/2", True),
    }
    # … which is what the warehouse's own tables say
    said = published_rows(
        fork,
        "select i.agency_key, i.tasks_on_time, i.tasks_counted, i.targets_met, i.targets_counted,"
        " (select count(*) filter (where compliance_status = 'on_time') from bi.report_compliance as c"
        "  where c.agency_key = i.agency_key and c.report_year = 2024 and c.is_expected)"
        f" from bi.cchc_index as i where i.report_year = 2024 and i.agency_key in ('{JUSTICE}', '{HOME}')"
        " order by 1",
    )
    assert said == [(HOME, 12, 12, 26, 26, 3), (JUSTICE, 2, 2, 0, 26, 4)]

    inbox = fork.raw_dir / "self_assessments"
    for agency in (JUSTICE, HOME):
        _fill_self_assessment(templates[agency], agency, inbox / f"{agency.split('.')[1]}-2024.xlsx")
    assert all(result.success for result in build_warehouse(fork, downstream_of("self_assessments")))

    found = published_rows(
        fork,
        "select agency_key, criterion_code, finding_code, cell from main.criterion_evidence_findings"
        " where assessed_year = 2024 order by agency_key, criterion_code, finding_code",
    )
    assert found == sorted(FINDINGS)
    statuses = dict(
        published_rows(
            fork,
            "select criterion_code, evidence_status from main.fact_criterion_score"
            f" where agency_key = '{JUSTICE}' and assessed_year = 2024 and evidence_status <> 'not_scored'",
        )
    )
    assert statuses == {
        "1.1.1": "ok",
        "1.1.4": "data",
        "1.2.1": "data",
        "1.4": "findings",
        "1.5": "data",
        "2.2": "ok",
        "3.1": "ok",
        "5.3": "explained",
        "8.1": "survey",
    }
    claimed = published_rows(
        fork,
        "select agency_key, sum(claimed_score) filter (where not is_survey) from main.fact_criterion_score"
        f" where assessed_year = 2024 and agency_key in ('{JUSTICE}', '{HOME}') group by 1 order by 1",
    )
    assert claimed == [(HOME, 33.0), (JUSTICE, 17.0)]

    done = CliRunner().invoke(
        app, ["appraisal-workbook", "--province", "dong_nai", "--year", "2024", "-o", str(tmp_path / "td")]
    )
    assert done.exit_code == 0, done.output
    appraisal = Path(done.output.strip())
    _fill_appraisal(appraisal, fork.raw_dir / "appraisals" / "tham-dinh-2024.xlsx")
    assert all(result.success for result in build_warehouse(fork, downstream_of("appraisals")))

    official = published_rows(
        fork,
        "select agency_key, claimed_points, appraised_points, survey_points, official_index, rank_in_level,"
        " agencies_ranked, self_minus_appraised from bi.cchc_official_index where assessed_year = 2024"
        " and official_index is not null order by rank_in_level",
    )
    assert official == [
        (JUSTICE, 17.0, 17.0, 18.0, 35.0, 1, 2, 0.0),
        (HOME, 33.0, 21.5, 12.0, 33.5, 2, 2, 11.5),
    ]
    # every criterion's final score: what each claimed, as appraised; every other criterion 0
    final = published_rows(
        fork,
        "select agency_key, criterion_code, final_score from main.fact_criterion_score"
        f" where assessed_year = 2024 and agency_key in ('{JUSTICE}', '{HOME}') order by 1, 2",
    )
    assert {(agency, code): score for agency, code, score in final if score != 0} == {
        (JUSTICE, "1.1.1"): 1,
        (JUSTICE, "1.1.4"): 2,
        (JUSTICE, "1.2.1"): 1,
        (JUSTICE, "1.4"): 2,
        (JUSTICE, "2.2"): 3,
        (JUSTICE, "3.1"): 4,
        (JUSTICE, "5.3"): 4,
        (JUSTICE, "8.1"): 18,
        (HOME, "1.1.1"): 0.5,
        (HOME, "1.1.4"): 2,
        (HOME, "1.5"): 2,
        (HOME, "1.6"): 1,
        (HOME, "2.2"): 3,
        (HOME, "2.3"): 3,
        (HOME, "3.1"): 4,
        (HOME, "5.1"): 3,
        (HOME, "5.2"): 3,
        (HOME, "8.1"): 12,
    }
    assert len(final) == 2 * 27 and all(score is not None for _, _, score in final)
    cut = published_rows(
        fork,
        "select criterion_code, claimed_score, appraised_score, adjustment from main.fact_criterion_score"
        f" where agency_key = '{HOME}' and assessed_year = 2024 and adjustment <> 0 order by criterion_code",
    )
    assert cut == [
        ("1.1.1", 1.0, 0.5, -0.5),
        ("1.4", 2.0, 0.0, -2.0),
        ("3.3", 5.0, 0.0, -5.0),
        ("5.3", 4.0, 0.0, -4.0),
    ]
    assert (
        published_rows(
            fork,
            "select count(*) from bi.cchc_official_index where assessed_year = 2024"
            " and official_index is null and index_status_vi like 'chưa thẩm định xong (0/%'",
        )[0][0]
        > 0
    )

    # the agency learns what was wrong with its proof, cell by cell
    done = CliRunner().invoke(app, ["feedback", "--agency", HOME, "-o", str(tmp_path / "ph")])
    assert done.exit_code == 0, done.output
    (own,) = [line.split("\t")[1] for line in done.output.splitlines() if line.startswith("so_noi_vu-2024")]
    proof = [
        row[3]
        for row in openpyxl.load_workbook(own)["Phản hồi"].iter_rows(values_only=True)
        if row[1] == "tài liệu kiểm chứng"
    ]
    assert sorted(proof) == sorted(cell for agency, _, _, cell in FINDINGS if agency == HOME)

    # what leaders and agencies read, rendered as printed
    done = CliRunner().invoke(
        app, ["round-results", "--province", "dong_nai", "--year", "2024", "-o", str(tmp_path / "kq")]
    )
    assert done.exit_code == 0, done.output
    results, *scorecards = (Path(line) for line in done.output.split())
    assert sorted(path.name for path in scorecards) == [
        "diem-dong_nai.so_noi_vu.xlsx",
        "diem-dong_nai.so_tu_phap.xlsx",
    ]
    ranking = openpyxl.load_workbook(results)["Xếp hạng"]
    ranked = [row[:3] for row in ranking.iter_rows(min_row=6, values_only=True) if isinstance(row[0], int)]
    assert ranked == [(1, "Sở Tư pháp tỉnh Đồng Nai", 35.0), (2, "Sở Nội vụ tỉnh Đồng Nai", 33.5)]
    home_card = next(path for path in scorecards if HOME in path.name)
    card = openpyxl.load_workbook(home_card)["Kết quả"]
    texts = [row for row in card.iter_rows(values_only=True)]
    assert ("Xếp hạng", None, "2/2 (Cấp sở)", None, None, None) in texts
    lost = {
        row[0]: row[4] for row in texts if isinstance(row[0], str) and row[0][:1] in "12345678…" and row[4]
    }
    # 100 − 33.5 = 66.5 lost: the survey's 8, the council's cuts 5 + 4 + 2 + 0.5, the data's 1 (a report
    # late), and 46 in the 13 criteria it did not score (75 points the agency scores itself, less the 29
    # its 10 claims could give)
    assert lost == {"8.1": 8, "3.3": 5, "5.3": 4, "1.4": 2, "1.2.1": 1, "1.1.1": 0.5, "…": 46}
    assert texts[-1][:2] == ("…", "13 tiêu chí chưa tự chấm")
    assert texts[-1][5].endswith(": 1.1.2, 1.1.3, 1.2.2, 1.3, 2.1, 3.2, 4.1, 4.2, 6.1, 6.2, 7.1, 7.2, 7.3")
    for workbook in (results, home_card, templates[HOME], appraisal):
        pdf = office.to_pdf(workbook, tmp_path / "pdf")
        assert office.not_printed_whole(workbook, pdf) == []
        assert office.smallest_type(pdf) >= 8
        if workbook == home_card:
            with pdfplumber.open(pdf) as printed:
                assert len(printed.pages) == 1
