"""The four real plans in tests/fixtures/plans, checked against counts made by hand.

How the ground truth was counted (by reading each appendix table row by row in the .md file):
- A task is a table row that brings a task or, in the 8-column ward table, an activity. Header rows
  repeated after page breaks, section rows (I, II…, 1 Kiểm soát TTHC…) and blank rows are not tasks.
- A row straight after a repeated header, without STT and without a deadline of its own, is the
  tail of the task cut by the page break, not a task ("thực điện tử so với năm 2023"). A row there
  that brings its own deadline is a task ("Đa dạng hình thức… | Thường xuyên").
- Rows without STT elsewhere are further tasks/activities under the merged objective above.
- "2.4 Hệ thống giám sát BPMC hoạt động ổn định" (kh-300) is an objective with no task text; it is
  kept as a row, so it counts.
kh-01: I 2, II 18 (STT 1-18), III 5, IV 2, V 2, VI 4, VII 3 = 36.
kh-300: I 4; II 26 = control 9 (1.1-1.9) + one-stop 7 (2.1, 2.2, two unnumbered, 2.3, one unnumbered,
2.4) + digital 9 (3.1-3.5 with four unnumbered rows) + feedback 1; III 6; IV 7; V 4; VI 14; VII 6 = 67.
ward 2026: I 8, II 21 (5 under the area heading, 16 under "3 Thực hiện cơ chế một cửa"), III 2,
IV 5, V 7, VI 12, VII 7 = 62.
qd-3028: no appendix table.

Targets of two areas per plan were read sentence by sentence from the "Mục tiêu" parts (kh-01 has
none: its "Định hướng" and area sections were read). Deadlines: every dated cell of the kh-300
appendix's last column, listed with awk and converted by hand.
"""

from collections import Counter
from datetime import date

import pytest

from pipelines.sources.plans.parse import ParsedPlan, parse_plan
from tests import FIXTURES_DIR

PLANS = FIXTURES_DIR / "plans"


@pytest.fixture(scope="module")
def plans() -> dict[str, ParsedPlan]:
    return {
        path.name.split("-")[0] + "-" + path.name.split("-")[1]: parse_plan(path)
        for path in PLANS.glob("*.md")
    }


TASKS_PER_AREA = {
    "kh-01": {
        "institutions": 2,
        "procedures": 18,
        "organisation": 5,
        "civil_service": 2,
        "public_finance": 2,
        "digital_government": 4,
        "direction": 3,
    },
    "kh-300": {
        "institutions": 4,
        "procedures": 26,
        "organisation": 6,
        "civil_service": 7,
        "public_finance": 4,
        "digital_government": 14,
        "direction": 6,
    },
    "kh-ubnd": {
        "institutions": 8,
        "procedures": 21,
        "organisation": 2,
        "civil_service": 5,
        "public_finance": 7,
        "digital_government": 12,
        "direction": 7,
    },
    "qd-3028": {},
}


@pytest.mark.parametrize("plan", sorted(TASKS_PER_AREA))
def test_tasks_per_area(plans, plan):
    assert Counter(t.area_code for t in plans[plan].tasks) == TASKS_PER_AREA[plan]


def test_kh300_procedure_tasks_per_sub_area(plans):
    counts = Counter(t.sub_area_code for t in plans["kh-300"].tasks if t.area_code == "procedures")
    assert counts == {
        "procedures.control": 9,
        "procedures.one_stop": 7,
        "procedures.digital": 9,
        "procedures.feedback": 1,
    }


def test_every_dated_deadline_of_the_kh300_appendix(plans):
    dated = [(t.stt, t.deadline) for t in plans["kh-300"].tasks if t.deadline]
    assert dated == [
        ("1.5", date(2024, 9, 30)),  # Quý III/2024
        ("1.6", date(2024, 3, 14)),  # Trước ngày 14/3/2024
        ("1.7", date(2024, 5, 30)),  # Trước ngày 30/5/2024
        ("1.8", date(2024, 12, 1)),  # Trước ngày 01/12/2024
        ("2.1", date(2024, 3, 31)),  # Thường xuyên - Tại cấp huyện trong quý I/2024
        ("1", date(2024, 6, 30)),  # Trong quý II/2024 (civil service)
        ("5", date(2024, 6, 30)),  # Quý II/2024
        ("2.1", date(2024, 6, 30)),  # Quý II/2024 (digital government)
        ("2.2", date(2024, 6, 30)),
        ("2.3", date(2024, 12, 31)),  # Năm 2024
        ("2.3", date(2024, 6, 30)),
        ("3.1", date(2024, 3, 31)),  # Quý I/2024
        ("3.1", date(2024, 3, 31)),  # Thường xuyên; riêng chức năng thanh toán… trong quý I/2024
        ("3.2", date(2024, 6, 30)),
        ("1", date(2024, 1, 31)),  # Tháng 01/2024 (direction)
        ("2", date(2024, 3, 31)),
        ("3", date(2024, 12, 31)),  # Theo hướng dẫn của Bộ Nội vụ Quý IV/2024
        ("5", date(2024, 9, 30)),  # Quý II-III/2024
    ]
    cited = next(t for t in plans["kh-300"].tasks if t.deadline_text and "45/KH-UBND" in t.deadline_text)
    assert (cited.deadline, cited.recurrence) == (None, "conditional")


def targets_of(plan: ParsedPlan, area: str) -> list[tuple]:
    return [
        (t.source_line, t.indicator_code, t.value, t.comparator, t.level, t.target_year)
        for t in plan.targets
        if t.area_code == area
    ]


def test_kh01_targets(plans):
    plan = plans["kh-01"]
    assert targets_of(plan, "procedures") == [
        (27, "tthc_satisfaction", 85.0, ">=", None, 2020),  # đạt từ 85% trở lên
        (27, "dissatisfaction_rate", 1.3, "<", None, 2020),  # giảm xuống dưới 1,3%
        (81, "unclassified", 100.0, "=", None, 2020),
        (89, "tthc_on_time_rate", 95.0, ">=", None, 2020),
        (103, "online_application_rate", 20.0, ">=", None, 2020),
    ]
    assert targets_of(plan, "digital_government") == [
        (135, "electronic_documents", 100.0, ">=", None, 2020),
        (137, "digital_signature", 100.0, ">=", None, 2020),
        (139, "electronic_documents", 100.0, ">=", None, 2020),
        (141, "digital_signature", 100.0, ">=", None, 2020),
        (147, "online_application_rate", 50.0, ">=", None, 2020),
    ]


def test_kh300_targets(plans):
    plan = plans["kh-300"]
    assert targets_of(plan, "procedures") == [
        (64, "tthc_timely_update", 100.0, ">=", None, 2024),
        (66, "tthc_timely_update", 100.0, ">=", None, 2024),
        (66, "sample_dossier_rate", 70.0, ">=", None, 2024),
        (68, "internal_tthc", 100.0, ">=", None, 2024),
        (68, "internal_tthc", 100.0, ">=", None, 2024),
        (70, "tthc_simplification", 10.0, ">=", None, 2024),
        (70, "declaration_reduction", 20.0, ">=", None, 2024),
        (72, "digitised_records_rate", 70.0, ">=", "province", 2024),
        (72, "digitised_records_rate", 40.0, ">=", "district", 2024),
        (72, "digitised_records_rate", 35.0, ">=", "commune", 2024),
        (74, "electronic_result_rate", 80.0, ">=", "department", 2024),
        (74, "electronic_result_rate", 30.0, ">=", "district", 2024),
        (74, "electronic_result_rate", 20.0, ">=", "commune", 2024),
        (76, "online_service_rate", 100.0, ">=", None, 2024),
        (
            76,
            "national_portal_rate",
            100.0,
            ">=",
            None,
            2024,
        ),  # "trong đó, 100% … tích hợp … Cổng DVC quốc gia"
        (76, "online_application_rate", 80.0, ">=", "department", 2024),
        (76, "online_application_rate", 40.0, ">=", "district", 2024),
        (76, "online_application_rate", 30.0, ">=", "commune", 2024),
        (78, "electronic_certification", 100.0, ">=", None, 2024),
        (80, "tthc_on_time_rate", 97.0, ">=", None, 2024),
        (80, "tthc_satisfaction", 94.0, ">=", None, 2024),
        (82, "feedback_on_time_rate", 97.0, ">=", None, 2024),
        (82, "feedback_satisfaction", 93.0, ">=", None, 2024),
    ]
    assert targets_of(plan, "digital_government") == [
        (222, "online_service_rate", 100.0, ">=", None, 2024),
        (222, "online_payment_rate", 100.0, ">=", None, 2024),
        (222, "online_payment_rate", 30.0, ">=", "department", 2024),
        (222, "online_payment_rate", 15.0, ">=", "district", 2024),
        (224, "work_records_online", 100.0, ">=", "province", 2024),
        (224, "work_records_online", 100.0, ">=", "district", 2024),
        (224, "work_records_online", 95.0, ">=", "commune", 2024),
        (224, "digital_signature", 100.0, ">=", None, 2024),
    ]
    assert [t.value_text for t in plan.targets if t.indicator_code == "pci_rank"] == [
        "nhóm 20 địa phương dẫn đầu"
    ]
    assert [
        (t.value, t.unit, t.comparator) for t in plan.targets if t.indicator_code == "par_index_rank"
    ] == [(2023.0, "baseline_year", ">")]


def test_ward_plan_targets(plans):
    plan = plans["kh-ubnd"]
    assert targets_of(plan, "procedures")[:5] == [
        (71, "tthc_timely_update", 100.0, ">=", None, 2026),
        (75, "tthc_simplification", 10.0, ">=", None, 2026),
        (75, "declaration_reduction", 20.0, ">=", None, 2026),
        (77, "tthc_on_time_rate", 98.0, ">=", None, 2026),
        (77, "online_payment_rate", 80.0, ">=", None, 2026),
    ]
    assert len(targets_of(plan, "procedures")) == 16
    assert targets_of(plan, "digital_government") == [
        (178, "work_records_online", 100.0, ">=", None, 2026),
        (178, "online_service_use", 100.0, ">=", None, 2026),
    ]


def test_qd3028_targets_follow_the_2025_and_2030_milestones(plans):
    plan = plans["qd-3028"]
    assert targets_of(plan, "organisation") == [
        (220, "public_unit_reduction", 10.0, ">=", None, 2025),
        (220, "payroll_reduction", 10.0, ">=", None, 2025),
        (222, "tthc_satisfaction", 90.0, ">=", None, 2025),
        (222, "public_service_satisfaction", 85.0, ">=", None, 2025),
        (228, "payroll_reduction", 10.0, ">=", None, 2030),
        (230, "tthc_satisfaction", 95.0, ">=", None, 2030),
        (230, "public_service_satisfaction", 90.0, ">=", None, 2030),
    ]
    assert targets_of(plan, "public_finance") == [
        (318, "unit_financial_autonomy", 20.0, ">=", None, 2025),
        (318, "unit_financial_autonomy", 100.0, ">=", None, 2025),
        (322, "direct_spending_reduction", 15.0, ">=", None, 2030),
    ]


def test_implausible_value_of_kh300_is_kept_only_in_its_task_objective(plans):
    plan = plans["kh-300"]
    assert any(t.objective and t.objective.startswith("500%") for t in plan.tasks)
    assert not any(t.is_implausible for t in plan.targets)  # the narrative says 50%


def test_metadata(plans):
    kh01, kh300, ward, qd = (plans[k].metadata for k in ("kh-01", "kh-300", "kh-ubnd", "qd-3028"))
    assert (kh01.number, kh01.issued_on, kh01.issuer_agency_key) == (
        "01/KH-KCNĐN",
        date(2020, 1, 14),
        "dong_nai.bql_cac_kcn",
    )
    assert (kh300.number, kh300.issued_on, kh300.issuer_agency_key) == (
        "300/KH-UBND",
        date(2023, 12, 28),
        "dong_nai.ubnd",
    )
    assert (kh300.period_start_year, kh300.period_end_year) == (2024, 2024)
    assert (kh300.parent.number, kh300.parent.issued_on) == ("3183/QĐ-UBND", date(2021, 9, 9))
    # a draft: no number, "ngày tháng năm 2026"
    assert (ward.number, ward.symbol, ward.issued_on, ward.issue_year, ward.place) == (
        None,
        "KH-UBND",
        None,
        2026,
        "Chơn Thành",
    )
    assert (ward.issuer_agency_key, ward.province_code) == ("dong_nai.ubnd_phuong_chon_thanh", "dong_nai")
    assert (ward.parent.kind, ward.parent.number) == ("Kế hoạch", "228/KH-UBND")
    assert (qd.number, qd.issuer_agency_key, qd.province_code) == (
        "3028/QĐ-UBND",
        "quang_binh.ubnd",
        "quang_binh",
    )
    assert (qd.period_start_year, qd.period_end_year) == (2021, 2030)
    assert qd.parent is None  # it cites only its legal bases ("Căn cứ…")
