"""fact_target_progress for one agency computed by hand: Sở Nội vụ Đồng Nai, năm 2024.

Its targets come from the province plan 300/KH-UBND for "cấp sở": tối thiểu 80% hồ sơ trực tuyến (#18),
80% kết quả điện tử (#13), 30% thanh toán không tiền mặt (#35) — and the plan's all-level "100% … thanh
toán trực tuyến" (#34), which the classifier files under the same indicator.
"""

import os
import shutil
from datetime import datetime

import duckdb
import pytest

from pipelines.reports.fill import Filling, fill_report
from pipelines.reports.prefill import report_form
from pipelines.reports.template import write_template
from tests.integration.conftest import build_warehouse

PLAN = "kh-300-ubnd-dong-nai-2024.md"


def test_statuses_gaps_and_ratios_of_a_reported_year(warehouse_settings, dagster_instance, tmp_path):
    with duckdb.connect(str(warehouse_settings.published_path), read_only=True) as conn:
        form = report_form(conn, "dong_nai.so_noi_vu", "2024-FY")
    inbox = warehouse_settings.raw_dir / "reports" / "tinh-tay"
    report = fill_report(
        write_template(form, tmp_path / "fy.xlsx"),
        inbox / "so-noi-vu-2024.xlsx",
        Filling(actuals={"online_application_rate": "81,5 %"}, parts={"online_payment_rate": (45, 200)}),
    )
    moment = datetime(2024, 12, 18, 9).timestamp()
    os.utime(report, (moment, moment))
    try:
        build_warehouse(warehouse_settings, dagster_instance)
        with duckdb.connect(str(warehouse_settings.published_path), read_only=True) as conn:
            rows = conn.execute(
                """
                select target_key, target_source, actual_value, gap, achievement_ratio, status, status_vi
                from main.fact_target_progress
                where agency_key = 'dong_nai.so_noi_vu' and period_key = '2024-FY'
                    and indicator_code in (
                        'online_application_rate', 'online_payment_rate', 'electronic_result_rate'
                    )
                order by target_key
                """
            ).fetchall()
    finally:
        shutil.rmtree(inbox)
        build_warehouse(warehouse_settings, dagster_instance)
    by_target = {row[0].split("#")[1]: row[1:] for row in rows}
    assert set(by_target) == {"13", "18", "34", "35"}  # not the district (#19) or commune (#20) targets
    assert by_target["18"][:2] == ("province", 81.5)
    assert by_target["18"][2] == pytest.approx(1.5)
    assert by_target["18"][3:] == (pytest.approx(1.0188), "met", "đạt")
    assert by_target["35"][1:] == (22.5, -7.5, 0.75, "not_met", "chưa đạt")
    assert by_target["34"][1:] == (22.5, -77.5, 0.225, "not_met", "chưa đạt")
    assert by_target["13"][1:] == (None, None, None, "no_data", "chưa có số liệu")
    assert all(row[0].startswith(PLAN) for row in rows)
