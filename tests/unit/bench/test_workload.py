"""The benchmark's workload: a stamped report reads exactly as the same report filled through
openpyxl, and the synthetic roster stays in its own seed set, marked as synthetic."""

import csv
import random
from dataclasses import replace
from datetime import date

from pipelines.bench.roster import SYNTHETIC, national_roster, write_seeds
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.stamp import AGENCY_KEY, AGENCY_NAME, load_prototype, stamp
from pipelines.forms.report.template import write_template
from pipelines.settings import SEEDS_DIR
from pipelines.sources.reports.read import read_report
from tests.unit.sources.reports.test_read import FORM


def test_a_stamped_report_reads_as_the_same_report_filled_through_openpyxl(tmp_path):
    filling = Filling(
        submitter="Nguyễn Thị Lan & <Tổ CCHC>",  # XML has to be escaped in the stamped copy
        phone="0251 3822 123",
        reported_on=date(2024, 9, 18),
        actuals={"online_application_rate": "97,5 %", "tthc_on_time_rate": 99.0},
        parts={"staff_trained": (30, 60)},
        statuses={
            "kh-300.md#17": ("Hoàn thành", date(2024, 8, 30)),
            "kh-300.md#41": ("Đang thực hiện", None),
        },
        notes={"tthc_on_time_rate": "số liệu đến 14/9"},
    )
    by_openpyxl = fill_report(write_template(FORM, tmp_path / "form.xlsx"), tmp_path / "filled.xlsx", filling)
    placeholder = replace(FORM, agency_key=AGENCY_KEY, agency_name=AGENCY_NAME)
    prototype = load_prototype(write_template(placeholder, tmp_path / "prototype.xlsx"))
    stamped = tmp_path / "sub" / "filled.xlsx"
    stamped.parent.mkdir()
    stamped.write_bytes(stamp(prototype, filling, FORM.agency_key, FORM.agency_name))
    expected, actual = read_report(by_openpyxl), read_report(stamped)
    assert actual == expected
    assert actual.submitter == "Nguyễn Thị Lan & <Tổ CCHC>" and actual.reported_on == date(2024, 9, 18)
    assert {v.indicator_code: v.actual_value for v in actual.indicators} == {
        "online_application_rate": 97.5,
        "tthc_on_time_rate": 99.0,
        "staff_trained": 50.0,  # a percentage: 100 × 30 / 60
    }


def test_the_roster_is_national_synthetic_and_kept_in_its_own_seed_set(tmp_path):
    roster = national_roster(3500, random.Random(1))
    assert len(roster) == 3500 and len({agency.key for agency in roster}) == 3500
    assert len({agency.province_code for agency in roster}) == 34
    assert all(".bench_" in agency.key for agency in roster)
    assert sum(agency.level == "commune" for agency in roster) > 3000
    small = national_roster(24, random.Random(1))
    write_seeds(SEEDS_DIR, tmp_path / "seeds", small, 2025)
    with (tmp_path / "seeds" / "agencies.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (SEEDS_DIR / "agencies.csv").open(encoding="utf-8", newline="") as handle:
        real = list(csv.DictReader(handle))
    assert rows[: len(real)] == real  # the real registry, untouched, then the synthetic agencies
    assert [row["note"] for row in rows[len(real) :]] == [SYNTHETIC] * len(small)
    assert b"\r" not in (tmp_path / "seeds" / "agencies.csv").read_bytes()
