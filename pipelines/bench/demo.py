"""`cchc demo-reports`: realistic filled reports for the sample agencies, so `make run` shows progress data.

Deterministic (a seeded random generator; files get fixed "received" times around each period's due
date): targets met, missed and left blank, numerators typed instead of rates, decimal commas, a
resubmission, a byte-identical copy, and files that must be quarantined (corrupt, wrong period,
unknown agency), besides rows a clerk got wrong (a word for a number, a rate above 100 %, an edited
target, a status not in the list). Files already present are left alone.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import ReportForm, write_template

SUBMISSIONS: dict[str, tuple[str, ...]] = {
    "dong_nai.so_noi_vu": ("2024-Q1", "2024-H1", "2024-Q3", "2024-FY"),
    "dong_nai.so_tu_phap": ("2024-H1", "2024-Q3", "2024-FY"),
    "dong_nai.so_thong_tin_truyen_thong": ("2024-H1", "2024-Q3", "2024-FY"),
    "dong_nai.van_phong_ubnd": ("2024-FY",),
    "dong_nai.bql_cac_kcn": ("2020-H1", "2020-FY"),
    "dong_nai.ubnd_phuong_chon_thanh": ("2026-Q1", "2026-H1", "2026-Q3"),
}
_SUBMITTERS = ("Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Minh Tâm", "Phạm Thu Hà", "Võ Quốc Bảo")
_PROGRESS = {"Q1": 0.45, "H1": 0.7, "Q3": 0.85, "FY": 1.0}
_DUE = {"Q1": (3, 20), "H1": (6, 20), "Q3": (9, 20), "FY": (12, 20)}


def due_on(period: str) -> date:
    month, day = _DUE[period[5:]]
    return date(int(period[:4]), month, day)


def _file_name(agency: str, period: str, suffix: str = "") -> str:
    return f"{period[:4]}/{agency.split('.', 1)[1]}_{period}{suffix}.xlsx"


def set_received(path: Path, day: date, hour: int = 9) -> None:
    moment = datetime(day.year, day.month, day.day, hour).timestamp()
    os.utime(path, (moment, moment))


def _email(agency_key: str) -> str:
    """A made-up address for the demo: dong_nai.so_noi_vu → sonoivu@dongnai.gov.vn."""
    province, _, unit = agency_key.partition(".")
    return f"{unit.replace('_', '').replace('.', '-')}@{province.replace('_', '')}.gov.vn"


def random_filling(form: ReportForm, rng: random.Random) -> Filling:
    progress = _PROGRESS[form.period_key[5:]]
    filling = Filling(
        submitter=rng.choice(_SUBMITTERS),
        phone=f"0251 38{rng.randint(10000, 99999)}",
        email=_email(form.agency_key),
        reported_on=due_on(form.period_key) - timedelta(days=rng.randint(0, 6)),
    )
    for line in form.indicators:
        draw = rng.random()
        if draw < 0.12 or line.target is None:
            continue  # left blank: no figure this period
        reach = line.target * (progress + rng.uniform(-0.15, 0.2) if draw < 0.75 else rng.uniform(0.4, 0.8))
        value = round(min(reach, 100.0 if line.unit == "percent" else reach), 1)
        if line.is_rate and rng.random() < 0.3:
            denominator = rng.randint(120, 4000)
            filling.parts[line.code] = (round(denominator * value / 100), denominator)
        elif rng.random() < 0.25:
            filling.actuals[line.code] = f"{value:g}".replace(".", ",") + (
                " %" if line.unit == "percent" else ""
            )
        else:
            filling.actuals[line.code] = value
    for task in form.tasks:
        draw = rng.random()
        if draw < 0.1:
            continue
        if draw < 0.55:
            filling.statuses[task.code] = (
                "Hoàn thành",
                due_on(form.period_key) - timedelta(days=rng.randint(5, 80)),
            )
        elif draw < 0.85:
            filling.statuses[task.code] = ("Đang thực hiện", None)
        elif draw < 0.95:
            filling.statuses[task.code] = ("Chưa thực hiện", None)
        else:
            filling.statuses[task.code] = ("Không thực hiện", None)
    return filling


def write_demo_reports(conn: duckdb.DuckDBPyConnection, directory: Path, seed: int = 2024) -> list[Path]:
    """Write the demo submissions under `directory` (skipping files already there); the paths written."""
    rng = random.Random(seed)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        templates = Path(scratch)

        def emit(name: str, form: ReportForm, filling: Filling, received: date, hour: int = 9) -> Path:
            target = directory / name
            if target.exists():
                return target
            template = write_template(form, templates / f"{form.agency_key}_{form.period_key}.xlsx")
            fill_report(template, target, filling)
            set_received(target, received, hour)
            written.append(target)
            return target

        forms: dict[tuple[str, str], ReportForm] = {}
        for agency, periods in SUBMISSIONS.items():
            for period in periods:
                form = forms[agency, period] = report_form(conn, agency, period)
                filling = random_filling(form, rng)
                lateness = rng.choice((-5, -2, -1, 0, 0, 3, 12))
                received = due_on(period) + timedelta(days=lateness)
                if (agency, period) == ("dong_nai.so_noi_vu", "2024-Q3"):
                    # first copy carries a rate above 100 %; the corrected file a week later supersedes it
                    code = next(line.code for line in form.indicators if line.unit == "percent")
                    first = replace(filling, actuals={**filling.actuals, code: 105})
                    emit(_file_name(agency, period), form, first, received)
                    emit(_file_name(agency, period, "_sua-doi"), form, filling, received + timedelta(days=7))
                    continue
                if (agency, period) == ("dong_nai.so_tu_phap", "2024-Q3") and form.indicators:
                    filling.actuals[form.indicators[0].code] = "đạt"
                if (agency, period) == ("dong_nai.van_phong_ubnd", "2024-FY") and form.indicators:
                    filling.edited_targets[form.indicators[0].code] = 50
                if (agency, period) == ("dong_nai.so_thong_tin_truyen_thong", "2024-H1") and form.tasks:
                    filling.statuses[form.tasks[0].code] = ("xong rồi", None)
                emit(_file_name(agency, period), form, filling, received)

        # the same file forwarded again from an e-mail folder: recognised by its hash
        original = directory / _file_name("dong_nai.so_tu_phap", "2024-H1")
        copy = directory / "email" / "bao-cao-6-thang-2024-so-tu-phap.xlsx"
        if not copy.exists():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(original, copy)
            set_received(copy, due_on("2024-H1") + timedelta(days=2))
            written.append(copy)

        # last half-year's template sent again under this quarter's name
        reused = forms["dong_nai.so_tu_phap", "2024-H1"]
        emit("2024/so_tu_phap_quy-III-2024.xlsx", reused, random_filling(reused, rng), due_on("2024-Q3"))

        # an agency that is not in the registry (a template made by hand from another agency's)
        stranger = replace(forms["dong_nai.so_noi_vu", "2024-FY"], agency_key="dong_nai.so_ngoai_vu")
        emit("2024/so_ngoai_vu_2024-FY.xlsx", stranger, random_filling(stranger, rng), due_on("2024-FY"))

        # a file cut short in transfer
        corrupt = directory / "2024" / "so_xay_dung_2024-FY.xlsx"
        if not corrupt.exists():
            corrupt.parent.mkdir(parents=True, exist_ok=True)
            corrupt.write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(512)))
            set_received(corrupt, due_on("2024-FY"))
            written.append(corrupt)
    return written
