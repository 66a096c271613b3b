"""Order and mix never matter: whatever subset of a corpus arrives — a plan, its byte copy and its UTF-16
copy, a report and its resubmission, another agency's report, files that cannot be read — received at
whatever times and in two deliveries with a run after each, every run publishes, and the published
warehouse is the one a single clean build of the same final raw/ gives, with every good file's rows in
it.

Hypothesis draws the mix from a fixed seed: one scenario in `make test` (each is three pipeline runs);
`CCHC_ARRIVAL_EXAMPLES` raises the count for a soak.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.settings import Settings
from pipelines.warehouse.digest import table_digests
from tests.integration.conftest import (
    BROKEN_PLANS,
    EXTRACTS,
    FIXTURE_PLANS,
    build_warehouse,
    published_rows,
    received,
)

PLAN = "kh-300-ubnd-dong-nai-2024.md"
GOOD_PLANS = (PLAN, "kh-300-ubnd-dong-nai-2024 (1).md", "kh-300-ubnd-dong-nai-2024-utf16.md")
GOOD_REPORTS = ("so-noi-vu-2024.xlsx", "so-noi-vu-2024-sua.xlsx", "so-tu-phap-2024.xlsx")
BROKEN = ("ghi-chu.md", "so-tai-chinh-2024.xlsx")
FOLDERS = {".md": "plans", ".xlsx": "reports/kiem-thu"}


@pytest.fixture(scope="module")
def corpus(warehouse_settings, tmp_path_factory) -> Path:
    """Every file that may arrive, made once: the plan and its copies, three reports filed against it
    (Sở Nội vụ's then its correction, Sở Tư pháp's), a note that is no plan, a report cut short."""
    folder = tmp_path_factory.mktemp("corpus")
    original = (FIXTURE_PLANS / PLAN).read_bytes()
    (folder / GOOD_PLANS[0]).write_bytes(original)
    (folder / GOOD_PLANS[1]).write_bytes(original)
    (folder / GOOD_PLANS[2]).write_bytes(original.decode("utf-8").encode("utf-16"))
    (folder / BROKEN[0]).write_bytes(BROKEN_PLANS[BROKEN[0]])
    with duckdb.connect(str(warehouse_settings.published_path), read_only=True) as conn:
        forms = {
            agency: report_form(conn, f"dong_nai.{agency}", "2024-FY")
            for agency in ("so_noi_vu", "so_tu_phap")
        }
    for name, agency, typed in (
        (GOOD_REPORTS[0], "so_noi_vu", "70 %"),
        (GOOD_REPORTS[1], "so_noi_vu", "82,5 %"),
        (GOOD_REPORTS[2], "so_tu_phap", "91 %"),
    ):
        form = forms[agency]
        rate = next(line for line in form.indicators if line.is_rate)
        done = {form.tasks[0].code: ("Hoàn thành", date(2024, 6, 20))}
        template = write_template(form, folder / f"mau-{name}")
        fill_report(template, folder / name, Filling(actuals={rate.code: typed}, statuses=done))
    (folder / BROKEN[1]).write_bytes((folder / GOOD_REPORTS[2]).read_bytes()[:3000])
    return folder


def _deliver(corpus: Path, raw: Path, names, at: dict[str, datetime]) -> None:
    for name in names:
        target = raw / FOLDERS[Path(name).suffix] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / name, target)
        received(target, at[name])


NAMES = GOOD_PLANS + GOOD_REPORTS + BROKEN
BUILD = dg.AssetSelection.all() - EXTRACTS  # the warehouse and its publication; the extracts read it after
DAYS = st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2024, 12, 31))


@seed(20261204)
@settings(
    max_examples=int(os.environ.get("CCHC_ARRIVAL_EXAMPLES", "1")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    chosen=st.lists(st.sampled_from(NAMES), min_size=2, unique=True),
    data=st.data(),
)
def test_any_mix_in_any_order_publishes_what_one_clean_build_publishes(corpus, chosen, data):
    times = {name: data.draw(DAYS, label=f"received {name}") for name in chosen}
    first = data.draw(st.lists(st.sampled_from(chosen), min_size=1, unique=True), label="first delivery")
    later = [name for name in chosen if name not in first]
    root = Path(tempfile.mkdtemp(prefix="arrival-"))
    try:
        stepwise = Settings.at(root / "stepwise" / "warehouse" / "cchc.duckdb", root / "stepwise" / "raw")
        for delivery in (first, later):
            _deliver(corpus, stepwise.raw_dir, delivery, times)
            stepwise.raw_dir.mkdir(parents=True, exist_ok=True)
            assert all(result.success for result in build_warehouse(stepwise, BUILD))  # each run publishes
        once = Settings.at(root / "once" / "warehouse" / "cchc.duckdb", root / "once" / "raw")
        _deliver(corpus, once.raw_dir, chosen, times)
        assert all(result.success for result in build_warehouse(once, BUILD))
        assert table_digests(stepwise.published_path) == table_digests(once.published_path)
        # no good row lost: every good plan parsed, every good report's figures in the warehouse
        plans = published_rows(stepwise, "select source_file from main.plan_documents where is_parsed")
        parsed = {name for (name,) in plans}
        assert parsed == {name for name in chosen if name in GOOD_PLANS}
        counted = published_rows(
            stepwise,
            "select source_file, count(*) from main.report_indicator_values"
            " where actual_value is not null group by 1",
        )
        assert {Path(name).name for name, rows in counted if rows} == {
            name for name in chosen if name in GOOD_REPORTS
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)
