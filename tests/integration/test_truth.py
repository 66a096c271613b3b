"""The truth suite: a hand-made province whose every figure a leader or analyst reads is written here by
hand, each with why, and checked on the marts, the `bi` views, the extract and the chase list.

Lai Châu, with a roster made for this test (the seeds hold none of its agencies): three departments — Sở
Nội vụ (NV), Sở Tư pháp (TP), Sở Tài chính (TC) — and two districts — Tam Đường (TD), Phong Thổ (PT) —
every one obliged to send its reports from 2023. Its plans for 2023 and 2024 hold the same six targets,
one for each way plans state one, and two appendix tasks:

    T1  hồ sơ giải quyết trực tuyến tối thiểu 80% tại cấp sở         ≥ 80   departments
    T2  hồ sơ giải quyết trực tuyến trên 50% tại cấp huyện           > 50   districts
    T3  không hài lòng không quá 5% tại cấp sở                        ≤ 5    departments
    T4  không hài lòng dưới 3% tại cấp huyện                          < 3    districts
    T5  95% thủ tục hành chính được công khai (a bare rate: at least) ≥ 95   everyone
    T6  100% cán bộ, công chức được bồi dưỡng (a bare rate: at least) ≥ 100  everyone
    task 1  Rà soát văn bản QPPL, Sở Tư pháp, Quý II (thể chế: institutions)
    task 2  Công khai thủ tục hành chính, Sở Nội vụ, Quý III (thủ tục hành chính: procedures)

The annual reports (due 20/12) they sent, as typed (— = left blank); nobody reports another period:

    year  agency  received     online  dissatisfied  published  trained  tasks
    2023  NV      15/12        82      4             96         100      task 2 done 15/09 (due 30/09)
    2023  TC      19/12        60      6             95         50
    2023  TD      20/12        55      2             100        80
    2024  NV      10/12        70      5             95         0        first file, replaced by:
    2024  NV      12/12        80      5             95         0        task 2 done 10/09 (due 30/09)
    2024  TP      27/12 late   79,9    —             96         100      task 1 done 15/07 (due 30/06)
    2024  TD      18/12        50      2,9           95         100
    2024  PT      19/12        65      3             94         100
    missing: TP and PT in 2023, TC in 2024

The internal index (QĐ 876/QĐ-BNV weights: institutions 10, procedures 14.5, civil service 16): a field's
points are its maximum × (targets met + tasks on time) / (targets + tasks counted), over the fields with
something to count; a target left blank counts and earns nothing; an agency without a counted report has
no score at all.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.bench.roster import append_rows
from pipelines.extracts.chase import write_chase_list
from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.settings import PROJECT_ROOT, RAW_ENV, SEEDS_DIR, SEEDS_ENV, WAREHOUSE_ENV, linked_seeds
from tests.integration.conftest import PlanKeys

CCHC = Path(sys.executable).with_name("cchc")
PROVINCE = "lai_chau"
NV, TP, TC = "lai_chau.so_noi_vu", "lai_chau.so_tu_phap", "lai_chau.so_tai_chinh"
TD, PT = "lai_chau.ubnd_huyen_tam_duong", "lai_chau.ubnd_huyen_phong_tho"
NAMES = {
    NV: "Sở Nội vụ tỉnh Lai Châu",
    TP: "Sở Tư pháp tỉnh Lai Châu",
    TC: "Sở Tài chính tỉnh Lai Châu",
    TD: "Ủy ban nhân dân huyện Tam Đường",
    PT: "Ủy ban nhân dân huyện Phong Thổ",
}
ONLINE, DISSATISFIED = "online_application_rate", "dissatisfaction_rate"
PUBLISHED, TRAINED = "tthc_timely_update", "staff_trained"


def _plan(number: int, year: int) -> str:
    return (
        "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\n\n"
        f"Số: {number}/KH-UBND\n\nLai Châu, ngày 20 tháng 12 năm {year - 1}\n\n"
        f"**KẾ HOẠCH**\n**Cải cách hành chính tỉnh Lai Châu năm {year}**\n\n"
        "**I. MỤC TIÊU**\n\n"
        "- Tỷ lệ hồ sơ giải quyết trực tuyến đạt tối thiểu 80% tại cấp sở.\n"
        "- Tỷ lệ hồ sơ giải quyết trực tuyến đạt trên 50% tại cấp huyện.\n"
        "- Tỷ lệ không hài lòng của người dân, tổ chức không quá 5% tại cấp sở.\n"
        "- Tỷ lệ không hài lòng của người dân, tổ chức dưới 3% tại cấp huyện.\n"
        "- 95% thủ tục hành chính được công khai đúng quy định.\n"
        "- 100% cán bộ, công chức được bồi dưỡng về cải cách hành chính.\n\n"
        "**PHỤ LỤC**\n\n"
        "STT\tNhiệm vụ\tKết quả/Sản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\n"
        "I\tCải cách thể chế\n"
        "1\tRà soát văn bản quy phạm pháp luật\tBáo cáo\tSở Tư pháp\tSở Nội vụ\tQuý II\n"
        "II\tCải cách thủ tục hành chính\n"
        "2\tCông khai thủ tục hành chính\tDanh mục\tSở Nội vụ\tSở Tư pháp\tQuý III\n"
    )


PLANS = {2023: "kh-10-ubnd-lai-chau-2023.md", 2024: "kh-12-ubnd-lai-chau-2024.md"}


# (agency, year, file, received, what is typed, task statuses by (plan year, task's place in the plan):
# the task's key is known once the plan is in)
REPORTS = [
    (
        NV,
        2023,
        "so-noi-vu-2023.xlsx",
        date(2023, 12, 15),
        {ONLINE: 82, DISSATISFIED: 4, PUBLISHED: 96, TRAINED: 100},
        {(2023, 2): ("Hoàn thành", date(2023, 9, 15))},
    ),
    (
        TC,
        2023,
        "so-tai-chinh-2023.xlsx",
        date(2023, 12, 19),
        {ONLINE: 60, DISSATISFIED: 6, PUBLISHED: 95, TRAINED: 50},
        {},
    ),
    (
        TD,
        2023,
        "tam-duong-2023.xlsx",
        date(2023, 12, 20),
        {ONLINE: 55, DISSATISFIED: 2, PUBLISHED: 100, TRAINED: 80},
        {},
    ),
    (
        NV,
        2024,
        "so-noi-vu-2024.xlsx",
        date(2024, 12, 10),
        {ONLINE: 70, DISSATISFIED: 5, PUBLISHED: 95, TRAINED: "0 %"},
        {},
    ),
    (
        NV,
        2024,
        "so-noi-vu-2024-sua.xlsx",
        date(2024, 12, 12),
        {ONLINE: 80, DISSATISFIED: 5, PUBLISHED: 95, TRAINED: "0 %"},
        {(2024, 2): ("Hoàn thành", date(2024, 9, 10))},
    ),
    (
        TP,
        2024,
        "so-tu-phap-2024.xlsx",
        date(2024, 12, 27),
        {ONLINE: "79,9", PUBLISHED: 96, TRAINED: 100},
        {(2024, 1): ("Hoàn thành", date(2024, 7, 15))},
    ),
    (
        TD,
        2024,
        "tam-duong-2024.xlsx",
        date(2024, 12, 18),
        {ONLINE: 50, DISSATISFIED: "2,9", PUBLISHED: 95, TRAINED: 100},
        {},
    ),
    (
        PT,
        2024,
        "phong-tho-2024.xlsx",
        date(2024, 12, 19),
        {ONLINE: 65, DISSATISFIED: 3, PUBLISHED: 94, TRAINED: 100},
        {},
    ),
]


def _roster(seeds: Path) -> None:
    """Every real seed, and Lai Châu's hand-made agencies, district roles and reporting obligations."""
    shutil.copytree(SEEDS_DIR, seeds)
    append_rows(
        seeds / "agency_roles.csv",
        [
            {
                "role_code": f"ubnd_huyen_{key}",
                "role_name_vi": f"Ủy ban nhân dân huyện {name}",
                "level": "district",
                "is_group": "false",
            }
            for key, name in (("tam_duong", "Tam Đường"), ("phong_tho", "Phong Thổ"))
        ],
    )
    roles = {
        NV: "so_noi_vu",
        TP: "so_tu_phap",
        TC: "so_tai_chinh",
        TD: "ubnd_huyen_tam_duong",
        PT: "ubnd_huyen_phong_tho",
    }
    agencies = [
        {
            "agency_key": "lai_chau.ubnd",
            "valid_from": "2016-01-01",
            "agency_name_vi": "Ủy ban nhân dân tỉnh Lai Châu",
            "role_code": "ubnd_tinh",
            "province_code": PROVINCE,
            "note": "truth suite",
        }
    ]
    agencies += [
        {
            "agency_key": key,
            "valid_from": "2016-01-01",
            "valid_to": "2025-06-30" if key in (TD, PT) else "",
            "agency_name_vi": name,
            "role_code": roles[key],
            "province_code": PROVINCE,
            "parent_agency_key": "lai_chau.ubnd",
            "note": "truth suite",
        }
        for key, name in NAMES.items()
    ]
    append_rows(seeds / "agencies.csv", agencies)
    append_rows(
        seeds / "report_obligations.csv",
        [
            {
                "province_code": PROVINCE,
                "agency_level": "department",
                "first_year": "2023",
                "source": "truth suite",
            },
            {
                "province_code": PROVINCE,
                "agency_level": "district",
                "first_year": "2023",
                "last_year": "2025",
                "source": "truth suite",
            },
        ],
    )


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The province's warehouse, built by `cchc run` as an operator runs it: the plans, then the reports
    filled in each agency's own template; the folder holding warehouse/ and raw/."""
    root = tmp_path_factory.mktemp("truth")
    _roster(root / "seeds")
    raw, home = root / "raw", root / "dagster"
    (raw / "plans").mkdir(parents=True)
    home.mkdir()
    shutil.copyfile(PROJECT_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    for year, name in PLANS.items():
        (raw / "plans" / name).write_text(_plan(10 + year - 2023, year), encoding="utf-8")
    warehouse = root / "warehouse" / "cchc.duckdb"
    env = {
        **os.environ,
        SEEDS_ENV: linked_seeds(root / "seeds"),
        RAW_ENV: str(raw),
        WAREHOUSE_ENV: str(warehouse),
        "DAGSTER_HOME": str(home),
    }

    def run() -> None:
        done = subprocess.run([str(CCHC), "run"], env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]

    run()
    published = warehouse.with_name("cchc_published.duckdb")
    keys = {year: PlanKeys.of(published, name).tasks for year, name in PLANS.items()}
    for agency, year, name, received, actuals, by_place in REPORTS:
        statuses = {keys[plan_year][number]: status for (plan_year, number), status in by_place.items()}
        with duckdb.connect(str(published), read_only=True) as conn:
            form = report_form(conn, agency, f"{year}-FY")
        report = fill_report(
            write_template(form, root / "templates" / name),
            raw / "reports" / str(year) / name,
            Filling(submitter="Nguyễn Văn A", actuals=actuals, statuses=statuses),
        )
        moment = datetime(received.year, received.month, received.day, 9, tzinfo=UTC).timestamp()
        os.utime(report, (moment, moment))
    run()
    return root


def _published(province: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(province / "warehouse" / "cchc_published.duckdb"), read_only=True)


def test_each_target_is_judged_as_its_words_say(province):
    with _published(province) as conn:
        rows = conn.execute(
            """
            select agency_key, period_key, indicator_code, comparator, target_value, actual_value, status
            from main.fact_target_progress
            where agency_key in ($nv, $tp, $tc, $td, $pt) and period_key in ('2023-FY', '2024-FY')
            """,
            {"nv": NV, "tp": TP, "tc": TC, "td": TD, "pt": PT},
        ).fetchall()
    judged = {(agency, period, indicator): tuple(rest) for agency, period, indicator, *rest in rows}
    expected = {
        # Sở Nội vụ 2023: 82 ≥ 80, 4 ≤ 5, 96 ≥ 95, 100 ≥ 100: every target met
        (NV, "2023-FY", ONLINE): (">=", 80.0, 82.0, "met"),
        (NV, "2023-FY", DISSATISFIED): ("<=", 5.0, 4.0, "met"),
        (NV, "2023-FY", PUBLISHED): (">=", 95.0, 96.0, "met"),
        (NV, "2023-FY", TRAINED): (">=", 100.0, 100.0, "met"),
        # Sở Tài chính 2023: 60 < 80, 6 > 5, 95 ≥ 95 met, 50 < 100
        (TC, "2023-FY", ONLINE): (">=", 80.0, 60.0, "not_met"),
        (TC, "2023-FY", DISSATISFIED): ("<=", 5.0, 6.0, "not_met"),
        (TC, "2023-FY", PUBLISHED): (">=", 95.0, 95.0, "met"),
        (TC, "2023-FY", TRAINED): (">=", 100.0, 50.0, "not_met"),
        # Tam Đường 2023: 55 > 50, 2 < 3, 100 ≥ 95 met; 80 < 100
        (TD, "2023-FY", ONLINE): (">", 50.0, 55.0, "met"),
        (TD, "2023-FY", DISSATISFIED): ("<", 3.0, 2.0, "met"),
        (TD, "2023-FY", PUBLISHED): (">=", 95.0, 100.0, "met"),
        (TD, "2023-FY", TRAINED): (">=", 100.0, 80.0, "not_met"),
        # Sở Nội vụ 2024, the corrected file: 80 on the floor and 5 on the ceiling are met; 0 is a figure
        (NV, "2024-FY", ONLINE): (">=", 80.0, 80.0, "met"),
        (NV, "2024-FY", DISSATISFIED): ("<=", 5.0, 5.0, "met"),
        (NV, "2024-FY", PUBLISHED): (">=", 95.0, 95.0, "met"),
        (NV, "2024-FY", TRAINED): (">=", 100.0, 0.0, "not_met"),
        # Sở Tư pháp 2024: 79,9 < 80; dissatisfaction left blank: no data, not 0
        (TP, "2024-FY", ONLINE): (">=", 80.0, 79.9, "not_met"),
        (TP, "2024-FY", DISSATISFIED): ("<=", 5.0, None, "no_data"),
        (TP, "2024-FY", PUBLISHED): (">=", 95.0, 96.0, "met"),
        (TP, "2024-FY", TRAINED): (">=", 100.0, 100.0, "met"),
        # Tam Đường 2024: 50 is not above 50 (strict); 2,9 < 3
        (TD, "2024-FY", ONLINE): (">", 50.0, 50.0, "not_met"),
        (TD, "2024-FY", DISSATISFIED): ("<", 3.0, 2.9, "met"),
        (TD, "2024-FY", PUBLISHED): (">=", 95.0, 95.0, "met"),
        (TD, "2024-FY", TRAINED): (">=", 100.0, 100.0, "met"),
        # Phong Thổ 2024: 65 > 50; 3 is not below 3 (strict); 94 < 95
        (PT, "2024-FY", ONLINE): (">", 50.0, 65.0, "met"),
        (PT, "2024-FY", DISSATISFIED): ("<", 3.0, 3.0, "not_met"),
        (PT, "2024-FY", PUBLISHED): (">=", 95.0, 94.0, "not_met"),
        (PT, "2024-FY", TRAINED): (">=", 100.0, 100.0, "met"),
    }
    assert {key: judged.get(key) for key in expected} == expected
    # the agencies that sent nothing: every target of theirs without data
    missing = {
        key: value[3]
        for key, value in judged.items()
        if (key[0], key[1]) in {(TP, "2023-FY"), (PT, "2023-FY"), (TC, "2024-FY")}
    }
    assert set(missing.values()) == {"no_data"} and len(missing) == 12  # 4 targets × 3 agency-years


# agency, year → (score, rank in level, agencies ranked in level, change, places gained, targets counted,
# met, without data, tasks counted, on time)
SCORES = {
    # procedures 4/4 (three targets and task 2) → 14.5; civil service 1/1 → 16: 30.5 / 30.5
    (NV, 2023): (100.0, 1, 2, None, None, 4, 4, 0, 1, 1),
    # procedures 1/3 → 4.83; civil service 0/1 → 0: 4.83 / 30.5
    (TC, 2023): (15.84, 2, 2, None, None, 4, 1, 0, 0, 0),
    # procedures 3/3 → 14.5; civil service 0/1: 14.5 / 30.5
    (TD, 2023): (47.54, 1, 1, None, None, 4, 3, 0, 0, 0),
    # no report for 2023: no score, no rank (its task 1, due 30/06, counts against nobody's score)
    (TP, 2023): (None, None, 2, None, None, 4, 0, 4, 1, 0),
    (PT, 2023): (None, None, 1, None, None, 4, 0, 4, 0, 0),
    # procedures 4/4 → 14.5; civil service 0/1 (the 0 typed): 14.5 / 30.5; 100 → 47.54, first → second
    (NV, 2024): (47.54, 2, 2, -52.46, -1, 4, 3, 0, 1, 1),
    # procedures 1/3 → 4.83 (the blank earns nothing); institutions 0/1 (task 1 late) → 0; civil service
    # 1/1 → 16: 20.83 / 40.5
    (TP, 2024): (51.43, 1, 2, None, None, 4, 2, 1, 1, 0),
    (TC, 2024): (None, None, 2, None, None, 4, 0, 4, 0, 0),  # sent nothing in 2024
    # procedures 2/3 → 9.67; civil service 1/1 → 16: 25.67 / 30.5; 47.54 → 84.16, first both years
    (TD, 2024): (84.16, 1, 2, 36.62, 0, 4, 3, 0, 0, 0),
    # procedures 1/3 → 4.83; civil service 1/1 → 16: 20.83 / 30.5
    (PT, 2024): (68.3, 2, 2, None, None, 4, 2, 0, 0, 0),
}


def test_each_agency_s_score_and_rank(province):
    with _published(province) as conn:
        marts = conn.execute(
            """
            select agency_key, report_year, total_score, rank_in_level, agencies_in_level,
                change_from_previous_year, places_gained, targets_counted, targets_met, targets_without_data,
                tasks_counted, tasks_on_time
            from main.mart_cchc_index where province_key = $province
                and agency_key <> 'lai_chau.ubnd'
            """,
            {"province": PROVINCE},
        ).fetchall()
        bi = conn.execute(
            """
            select agency_key, report_year, total_score, rank_in_level, agencies_in_level,
                change_from_previous_year, places_gained, targets_counted, targets_met, targets_without_data,
                tasks_counted, tasks_on_time
            from bi.cchc_index where province_key = $province and agency_key <> 'lai_chau.ubnd'
            """,
            {"province": PROVINCE},
        ).fetchall()
        fields = conn.execute(
            """
            select agency_key, institutions_points, procedures_points, civil_service_points, direction_points
            from bi.cchc_index where report_year = 2024 and agency_key in ($tp, $tc)
            """,
            {"tp": TP, "tc": TC},
        ).fetchall()
        # what an analyst's plain avg() of bi.cchc_index gives: the reporting agencies only
        means = conn.execute(
            "select report_year, round(avg(total_score), 2) from bi.cchc_index where province_key = $p "
            "group by 1 order by 1",
            {"p": PROVINCE},
        ).fetchall()
    assert {(row[0], row[1]): tuple(row[2:]) for row in marts} == SCORES
    assert {(row[0], row[1]): tuple(row[2:]) for row in bi} == SCORES
    assert dict((row[0], row[1:]) for row in fields) == {
        TP: (0.0, 4.83, 16.0, None),  # task 1 late: 0 of 10; 14.5 × 1/3; 16 × 1/1; nothing to count
        TC: (None, None, None, None),  # sent nothing: no points, not 0
    }
    # (100 + 15.84 + 47.54) / 3; (47.54 + 51.43 + 84.16 + 68.3) / 4
    assert means == [(2023, 54.46), (2024, 62.86)]


def test_the_province_mean_its_coverage_and_like_for_like_change(province):
    with _published(province) as conn:
        rows = conn.execute(
            """
            select report_year, score, agencies_scored, agencies_obliged, score_change, agencies_compared
            from main.mart_province_index_trend
            where province_key = $province and index_key = 'CCHC_NOI_BO'
            order by report_year
            """,
            {"province": PROVINCE},
        ).fetchall()
    assert rows == [
        # 3 of the 5 obliged reported; a first year has no change
        (2023, 54.46, 3, 5, None, None),
        # 4 of 5; the change compares Sở Nội vụ and Tam Đường, scored both years:
        # (47.54 + 84.16) / 2 − (100 + 47.54) / 2 = 65.85 − 73.77 = −7.92 (the means of all, 62.86 − 54.46,
        # would read +8.40)
        (2024, 62.86, 4, 5, -7.92, 2),
    ]


def test_who_reported_on_time_per_period(province):
    with _published(province) as conn:
        rows = conn.execute(
            """
            select period_key, agency_key, compliance_status, days_late, superseded_count
            from bi.report_compliance where province_key = $province and is_expected
                and period_key in ('2023-FY', '2024-FY')
            """,
            {"province": PROVINCE},
        ).fetchall()
        rates = conn.execute(
            """
            select period_key, count(*) filter (where compliance_status = 'on_time'), count(*)
            from bi.report_compliance where province_key = $province and is_expected
                and report_year in (2023, 2024)
            group by 1 order by 1
            """,
            {"province": PROVINCE},
        ).fetchall()
    assert {(row[0], row[1]): tuple(row[2:]) for row in rows} == {
        ("2023-FY", NV): ("on_time", 0, 0),
        ("2023-FY", TC): ("on_time", 0, 0),
        ("2023-FY", TD): ("on_time", 0, 0),  # received on the due date itself
        ("2023-FY", TP): ("missing", None, 0),
        ("2023-FY", PT): ("missing", None, 0),
        ("2024-FY", NV): ("on_time", 0, 1),  # the corrected file of 12/12 counts; the first is superseded
        ("2024-FY", TP): ("late", 7, 0),  # 27/12 against 20/12
        ("2024-FY", TC): ("missing", None, 0),
        ("2024-FY", TD): ("on_time", 0, 0),
        ("2024-FY", PT): ("on_time", 0, 0),
    }
    # per period: on time of the 5 obliged (nobody sent a quarterly or half-year report)
    assert rates == [
        ("2023-FY", 3, 5),
        ("2023-H1", 0, 5),
        ("2023-Q1", 0, 5),
        ("2023-Q3", 0, 5),
        ("2024-FY", 3, 5),
        ("2024-H1", 0, 5),
        ("2024-Q1", 0, 5),
        ("2024-Q3", 0, 5),
    ]


def test_the_chase_list_names_the_missing_then_the_late(province, tmp_path):
    with _published(province) as conn:
        path = write_chase_list(conn, "2024-FY", tmp_path, datetime(2025, 1, 5, 8))
    sheet = openpyxl.load_workbook(path)["Lai Châu"]
    rows = [row[:7] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert [(number, name, status, late) for number, name, _, status, _, _, late in rows] == [
        (1, NAMES[TC], "chưa nộp", 16),  # nothing by 5/1/2025: 16 days after 20/12/2024
        (2, NAMES[TP], "trễ hạn", 7),  # received 27/12
    ]


def _agency_rows(sheet) -> dict[str, list[object]]:
    """The rows of a sheet that name an agency of the province in column C, by that name."""
    return {row[2]: list(row) for row in sheet.iter_rows(values_only=True) if row[2] in NAMES.values()}


def test_the_extract_prints_the_same_figures(province):
    folder = province / "warehouse" / "extracts" / "par-trend-2024"
    summary = openpyxl.load_workbook(folder / "par-trend-lai_chau-2024.xlsx")["Tổng hợp"]
    opening = [value for (value,) in summary.iter_rows(min_row=3, max_row=7, max_col=1, values_only=True)]
    assert opening == [
        # Sở Tài chính sent nothing for 2024
        "Năm 2024: 4/5 cơ quan đã gửi báo cáo được tính điểm; 1 cơ quan chưa gửi, không được xếp hạng.",
        "Cấp sở: Sở Tư pháp tỉnh Lai Châu dẫn đầu với 51,43 điểm; thấp nhất là Sở Nội vụ tỉnh Lai Châu với"
        " 47,54 điểm (2 cơ quan được xếp hạng).",
        "Cấp huyện: Ủy ban nhân dân huyện Tam Đường dẫn đầu với 84,16 điểm; thấp nhất là Ủy ban nhân dân"
        " huyện Phong Thổ với 68,30 điểm (2 cơ quan được xếp hạng).",
        # (51.43 + 47.54 + 84.16 + 68.30) / 4 = 62.86; like for like, NV and TD: −7.92 (not 54.46 → 62.86)
        "Bình quân Chỉ số CCHC nội bộ: 62,86 điểm, trên 4 cơ quan đã báo cáo; giảm 7,92 điểm so với năm"
        " 2023, so sánh cùng 2 cơ quan có điểm cả hai năm.",
        # met 2 + 3 + 3 + 2 of 4 each; TP's dissatisfaction left blank; tasks: NV's on time, TP's not
        "Các cơ quan đã báo cáo đạt 10/16 chỉ tiêu được tính (1 chỉ tiêu không có số liệu, tính 0 điểm) và"
        " hoàn thành đúng hạn 1/2 nhiệm vụ đến hạn.",
    ]
    rows = _agency_rows(summary)
    # Cấp, Hạng, Cơ quan, Điểm, Xu hướng điểm, Thay đổi, Điểm lần trước, Năm lần trước, Hạng lần trước,
    # Chỉ tiêu đạt, Chỉ tiêu tính điểm, Chỉ tiêu chưa có số liệu, Nhiệm vụ đúng hạn, Nhiệm vụ đến hạn
    assert rows[NAMES[TP]][1:14] == [1, NAMES[TP], 51.43, "mới", None, None, None, None, 2, 4, 1, 0, 1]
    assert rows[NAMES[NV]][1:14] == [2, NAMES[NV], 47.54, "▼", -52.46, 100.0, 2023, 1, 3, 4, 0, 1, 1]
    assert rows[NAMES[TD]][1:14] == [1, NAMES[TD], 84.16, "▲", 36.62, 47.54, 2023, 1, 3, 4, 0, 0, 0]
    assert rows[NAMES[PT]][1:14] == [2, NAMES[PT], 68.3, "mới", None, None, None, None, 2, 4, 0, 0, 0]
    # Sở Tài chính sent nothing for 2024: listed, not scored
    assert rows[NAMES[TC]][2:4] == [NAMES[TC], "chưa báo cáo – không xếp hạng"]
    internal = next(
        row for row in summary.iter_rows(values_only=True) if str(row[0]).startswith("Chỉ số CCHC")
    )
    # name with coverage, year, score; the like-for-like change −7.92 (arrow follows it), previous 54.46
    assert internal[0].endswith(": 4/5 cơ quan")
    assert (internal[3], internal[4], internal[8], internal[9], internal[11], internal[12]) == (
        2024,
        62.86,
        "▼",
        -7.92,
        2023,
        54.46,
    )
    with (folder / "par-trend-lai_chau-2024.csv").open(encoding="utf-8-sig") as handle:
        rows = [row for row in csv.reader(handle, delimiter=";") if row[0] == "Chỉ số CCHC nội bộ"]
    # each ranked agency-year on the 100-point scale, with the decimal comma Vietnamese Excel reads
    assert {(row[1], row[3]): row[4] for row in rows} == {
        (NAMES[NV], "2023"): "100",
        (NAMES[TC], "2023"): "15,84",
        (NAMES[TD], "2023"): "47,54",
        (NAMES[NV], "2024"): "47,54",
        (NAMES[TP], "2024"): "51,43",
        (NAMES[TD], "2024"): "84,16",
        (NAMES[PT], "2024"): "68,3",
    }
