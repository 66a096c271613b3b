"""`cchc bench generate`: a national workload in one folder, deterministic for a seed.

    DIR/seeds/          every real seed plus the synthetic roster (roster.py); CCHC_SEEDS points here
    DIR/raw/reports/    <year>/<province>/<agency>_<period>.xlsx: one filled report in the real template
                        per agency and period (about 61 indicator rows), with the demo data's
                        kinds of mess and resubmissions
    DIR/raw/indices/    the bundled published index files
    DIR/workload.json   what was generated

Each agency's targets come from its province's plan for its level and year; the demo's clerk habits
(reports.demo.random_filling) fill them. Beyond those: a corrected resubmission a week later (the first
copy had a rate above 100 %), a copy forwarded again from an e-mail folder (byte-identical), a file cut
short in transfer, last period's template sent under this period's name, an agency not in the
registry, a word where a number belongs and an edited target.

Not yet: the provinces' plan documents. Without them there are no plan tasks, so the reports'
task sheets are empty (a status must name a task of a loaded plan).
"""

from __future__ import annotations

import json
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from pipelines.bench.demo import due_on, random_filling, set_received
from pipelines.bench.roster import Agency, extra_indicators, national_roster, write_seeds
from pipelines.forms.report.stamp import AGENCY_KEY, AGENCY_NAME, Prototype, load_prototype, stamp
from pipelines.forms.report.template import IndicatorLine, ReportForm, write_template
from pipelines.landing.files import is_submission
from pipelines.settings import SEEDS_DIR, Settings, load_settings
from pipelines.text.periods import period_key, report_kinds
from pipelines.text.reference import read_seed

# shares of submissions with each kind of mess (of the files, not of the rows)
RESUBMITTED, FORWARDED, CUT_SHORT, REUSED_TEMPLATE, UNKNOWN_AGENCY = 0.03, 0.01, 0.003, 0.003, 0.002
WORD_FOR_NUMBER, EDITED_TARGET = 0.02, 0.01


@dataclass(frozen=True)
class Workload:
    """Where a generated workload keeps its parts."""

    root: Path

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def manifest(self) -> Path:
        return self.root / "workload.json"

    def settings(self, warehouse_dir: Path) -> Settings:
        return Settings.at(warehouse_dir / "cchc.duckdb", self.raw_dir)

    def describe(self) -> dict:
        return json.loads(self.manifest.read_text(encoding="utf-8"))


def _labels() -> dict[str, str]:
    return {row["report_kind"]: row["label_template_vi"] for row in read_seed("report_kinds")}


def _plan_lines(province: str, level: str, year: int, rng: random.Random) -> tuple[IndicatorLine, ...]:
    """The targets a province's plan for `year` sets for one level: every indicator but ranks."""
    lines = []
    # the real catalog and the synthetic indicators (already in it when CCHC_SEEDS is the bench set)
    catalog = {row["indicator_code"]: row for row in (*extra_indicators(), *read_seed("indicators"))}
    for row in catalog.values():
        if row["unit"] == "rank":
            continue
        lower = row["direction"] == "lower"
        percent = row["unit"] == "percent"
        target = float(
            rng.choice((5, 10)) if lower else rng.choice((70, 80, 85, 90, 95, 100)) if percent else 10
        )
        lines.append(
            IndicatorLine(
                code=row["indicator_code"],
                name=row["indicator_name_vi"],
                unit=row["unit"] or None,
                target=target,
                comparator="<=" if lower else ">=",
                is_rate=row["is_rate"] == "true",
                source=f"KH {rng.randint(10, 400)}/KH-UBND",
                plan_target_key=f"{province}.bench_plan_{year}.{level}.{row['indicator_code']}",
            )
        )
    return tuple(lines)


# how clerks name the period in a file name
_NAMED = {"Q1": "quy-I", "H1": "6-thang", "Q3": "quy-III", "FY": "nam"}


def _file_name(agency: Agency, period: str, suffix: str = "") -> str:
    slug = agency.key.split(".", 1)[1]
    return f"{period[:4]}/{agency.province_code}/{slug}_{_NAMED[period[5:]]}-{period[:4]}{suffix}.xlsx"


def _messy(filling, form: ReportForm, rng: random.Random):
    """The row-level slips of a clerk, beyond the demo's habits."""
    if form.indicators and rng.random() < WORD_FOR_NUMBER:
        filling.actuals[rng.choice(form.indicators).code] = "đạt"
    if form.indicators and rng.random() < EDITED_TARGET:
        filling.edited_targets[rng.choice(form.indicators).code] = 50
    return filling


class Templates:
    """The real template of each level and period of one province, written once (openpyxl) for the
    placeholder agency, and the form it was written from."""

    def __init__(self, province: str, seed: int, scratch: Path):
        self.province, self.seed, self.scratch = province, seed, scratch
        self.labels = _labels()
        self._made: dict[tuple[str, str], tuple[ReportForm, Prototype]] = {}
        scratch.mkdir(parents=True, exist_ok=True)

    def get(self, level: str, period: str) -> tuple[ReportForm, Prototype]:
        if (level, period) not in self._made:
            year = int(period[:4])
            rng = random.Random(f"{self.seed}:{self.province}:{level}:{year}")
            form = ReportForm(
                agency_key=AGENCY_KEY,
                agency_name=AGENCY_NAME,
                period_key=period,
                period_label=self.labels[period[5:]].format(year=year),
                indicators=_plan_lines(self.province, level, year, rng),
                tasks=(),  # no plans in the workload yet, so no plan tasks to report on
            )
            path = write_template(form, self.scratch / f"{self.province}_{level}_{period}.xlsx")
            self._made[level, period] = form, load_prototype(path)
        return self._made[level, period]


def _province_reports(args: tuple[Path, list[Agency], list[int], int]) -> int:
    """Write every report of one province's agencies; the number of files written."""
    reports_dir, agencies, years, seed = args
    province = agencies[0].province_code
    rng = random.Random(f"{seed}:{province}")
    templates = Templates(province, seed, reports_dir.parent / ".bench-templates" / province)
    prototype = templates.get
    written = 0

    def emit(name: str, data: bytes, received) -> None:
        nonlocal written
        target = reports_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        set_received(target, received)
        written += 1

    for year in years:
        for kind in report_kinds():
            period = period_key(year, kind)
            for agency in agencies:
                form, proto = prototype(agency.level, period)
                filling = _messy(random_filling(form, rng), form, rng)
                received = due_on(period) + timedelta(days=rng.choice((-5, -2, -1, 0, 0, 3, 12)))
                key, name = agency.key, agency.name
                draw = rng.random()
                if draw < UNKNOWN_AGENCY:
                    key = f"{province}.bench_unknown_{rng.randint(1, 999):03d}"
                if draw > 1 - CUT_SHORT:
                    emit(_file_name(agency, period), b"PK\x03\x04" + rng.randbytes(512), received)
                    continue
                if draw > 1 - CUT_SHORT - REUSED_TEMPLATE and kind != "Q1":
                    previous = period_key(year, report_kinds()[report_kinds().index(kind) - 1])
                    form, proto = prototype(agency.level, previous)
                    filling = random_filling(form, rng)
                data = stamp(proto, filling, key, name)
                if rng.random() < RESUBMITTED and form.indicators:
                    rate = next((line.code for line in form.indicators if line.unit == "percent"), None)
                    if rate is not None:
                        first = replace(filling, actuals={**filling.actuals, rate: 105})
                        emit(_file_name(agency, period), stamp(proto, first, key, name), received)
                        emit(_file_name(agency, period, "_sua-doi"), data, received + timedelta(days=7))
                        continue
                emit(_file_name(agency, period), data, received)
                if rng.random() < FORWARDED:
                    emit(f"email/{period}/{agency.key}.xlsx", data, received + timedelta(days=2))
    shutil.rmtree(templates.scratch, ignore_errors=True)
    return written


def generate(root: Path, agencies: int, years: int, seed: int, *, workers: int | None = None) -> dict:
    """Write the workload under `root` (emptied first); what it holds."""
    workload = Workload(root)
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    roster = national_roster(agencies, rng)
    last_year = date.today().year - 1  # the last year whose four reports are all due
    report_years = list(range(last_year - years + 1, last_year + 1))
    write_seeds(SEEDS_DIR, workload.seeds_dir, roster, report_years[0])
    shutil.copytree(load_settings().indices_dir, workload.raw_dir / "indices", ignore=_not_submissions)
    reports_dir = workload.raw_dir / "reports"
    reports_dir.mkdir(parents=True)
    by_province: dict[str, list[Agency]] = {}
    for agency in roster:
        by_province.setdefault(agency.province_code, []).append(agency)
    jobs = [(reports_dir, group, report_years, seed) for group in by_province.values()]
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count(), initializer=_use_real_seeds) as pool:
        files = sum(pool.map(_province_reports, jobs))
    shutil.rmtree(reports_dir.parent / ".bench-templates", ignore_errors=True)
    description = {
        "synthetic": True,
        "seed": seed,
        "agencies_asked": agencies,
        "agencies": len(roster),
        "provinces": len(by_province),
        "years": report_years,
        "report_files": files,
    }
    workload.manifest.write_text(json.dumps(description, indent=2), encoding="utf-8")
    return description


def _not_submissions(_: str, names: list[str]) -> list[str]:
    return [name for name in names if not is_submission(name)]


def _use_real_seeds() -> None:
    os.environ.pop("CCHC_SEEDS", None)


def add_report(workload: Workload) -> Path:
    """One more report in a generated workload: an addendum from its first agency for the last period,
    filled as a clerk would, received the day after the period's due date (before its books close, so it
    counts). The path written."""
    described = workload.describe()
    agency = national_roster(described["agencies_asked"], random.Random(described["seed"]))[0]
    period = period_key(described["years"][-1], report_kinds()[-1])
    scratch = workload.root / ".bench-templates"
    form, prototype = Templates(agency.province_code, described["seed"], scratch).get(agency.level, period)
    filling = random_filling(form, random.Random())
    added = len(list((workload.raw_dir / "reports").rglob("*_bo-sung-*.xlsx"))) + 1
    target = workload.raw_dir / "reports" / _file_name(agency, period, f"_bo-sung-{added}")
    target.write_bytes(stamp(prototype, filling, agency.key, agency.name))
    moment = datetime.combine(due_on(period) + timedelta(days=1), time(10)) + timedelta(minutes=added)
    os.utime(target, (moment.timestamp(), moment.timestamp()))  # each addendum after the one before
    shutil.rmtree(scratch, ignore_errors=True)
    return target
