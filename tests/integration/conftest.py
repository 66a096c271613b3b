"""One real warehouse, built once per test run by the real jobs (plan ingestion, dbt), in a temp dir: the
first pytest-xdist worker to need it builds it, under a lock, where every worker finds it.

Its raw/plans holds the four seed plans and two files that must be rejected without stopping the rest;
its raw/indices two published PCI workbooks, the PAR INDEX/SIPAS values and a corrupt workbook.

Tests that only read use it as it is (`published`, `warehouse_settings`). A test that changes files or
tables works on a fork: a copy of the warehouse folder and of raw/, which is the whole state of the
platform. Nothing is rebuilt to "restore" the session's warehouse.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import pdfplumber
import pytest

from pipelines.orchestration.postgres import Cluster, temporary_cluster
from pipelines.settings import RAW_ENV, WAREHOUSE_ENV, Settings
from tests import FIXTURES_DIR

FIXTURE_PLANS = FIXTURES_DIR / "plans"
# plans the raw folder holds as the PDF the e-office system printed, not as Markdown
PDF_PLANS = ("kh-01-bql-kcn-dong-nai-2020",)
BROKEN_PLANS = {
    "ke-hoach-tai-chua-tron.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog",
    "ghi-chu.md": "Ghi chú họp giao ban, không phải kế hoạch.\n".encode(),
}

FIXTURE_INDICES = FIXTURES_DIR / "indices"
INDEX_FILES = ("PCI_2005.xls", "PCI_2014.xlsx", "par_index_published.csv")
BROKEN_INDICES = {"PCI_2015.xlsx": b"PK\x03\x04 cut short while sending"}

EXTRACTS = dg.AssetSelection.groups("extracts")


def downstream_of(group: str) -> dg.AssetSelection:
    """What a change to one source's raw tables needs rebuilt: the dbt nodes and checks downstream of it
    and the published copy, without the extracts."""
    return dg.AssetSelection.groups(group).downstream() - EXTRACTS


def build_warehouse(
    settings: Settings, build: dg.AssetSelection | None = None, *, full: bool = False
) -> list[dg.ExecuteInProcessResult]:
    """Ingest what is pending in the settings' raw/, then build (all, or `build`), as `cchc run` does
    (`full`: as `cchc run --full`, the incremental models rebuilt whole)."""
    from pipelines.definitions import build_definitions
    from pipelines.orchestration.runs import run_pipeline

    with dg.DagsterInstance.ephemeral() as instance:
        return run_pipeline(build_definitions(settings), instance, settings, build=build, full=full)


def fork_warehouse(source: Settings, directory: Path) -> Settings:
    """Copy the warehouse folder (warehouse, published copy, archive) and raw/ into `directory`; the
    logs are not state and stay behind."""
    shutil.copytree(source.warehouse_dir, directory / "warehouse", ignore=shutil.ignore_patterns("logs"))
    shutil.copytree(source.raw_dir, directory / "raw")
    return Settings.at(directory / "warehouse" / source.warehouse_path.name, directory / "raw")


def plan_text(number: int, *, year: int = 2025, areas: bool = True, task: str = "Rà soát văn bản") -> str:
    """A short plan of UBND tỉnh Đồng Nai as agencies extract them from PDF: targets and an appendix."""
    first, second = ("I\tCải cách thể chế\n", "II\tCải cách thủ tục hành chính\n") if areas else ("", "")
    return (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\n\n"
        f"Số: {number}/KH-UBND\n\nĐồng Nai, ngày 20 tháng 12 năm {year - 1}\n\n"
        f"**KẾ HOẠCH**\n**Cải cách hành chính tỉnh Đồng Nai năm {year}**\n\n"
        "**I. MỤC TIÊU**\n\n- Tỷ lệ hồ sơ giải quyết trực tuyến đạt tối thiểu 80% tại cấp sở.\n\n"
        "**PHỤ LỤC**\n\n"
        "STT\tNhiệm vụ\tKết quả/Sản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\n"
        f"{first}1\t{task}\tBáo cáo\tSở Tư pháp\tCác sở, ngành\tQuý II\n"
        f"{second}2\tCông khai thủ tục hành chính\tDanh mục\tVăn phòng UBND tỉnh\tCác sở, ngành\tQuý III\n"
    )


def received(path: Path, when: str | datetime) -> None:
    """Date a file in raw/ as received at `when` (an ISO date and time, or a datetime): its mtime."""
    moment = (datetime.fromisoformat(when) if isinstance(when, str) else when).timestamp()
    os.utime(path, (moment, moment))


def published_rows(settings: Settings, sql: str) -> list[tuple]:
    """The rows a query gives on the published copy, read as a BI tool reads it."""
    with duckdb.connect(str(settings.published_path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


@dataclass(frozen=True)
class PlanKeys:
    """The lasting keys of one plan file's tasks and targets, by their place in the file (task_seq,
    target_seq): what a template prints and the facts are keyed by, looked up in the published copy."""

    tasks: dict[int, str]
    targets: dict[int, str]

    @classmethod
    def of(cls, published: Path, plan_file: str) -> PlanKeys:
        with duckdb.connect(str(published), read_only=True) as conn:
            tasks = "select task_seq, plan_task_key from main.plan_tasks where source_file = $file"
            targets = "select target_seq, plan_target_key from main.plan_targets where source_file = $file"
            return cls(
                dict(conn.execute(tasks, {"file": plan_file}).fetchall()),
                dict(conn.execute(targets, {"file": plan_file}).fetchall()),
            )


def point_cli_at(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    """The `cchc` command reads its paths from the environment, as a user's shell sets them."""
    monkeypatch.setenv(WAREHOUSE_ENV, str(settings.warehouse_path))
    monkeypatch.setenv(RAW_ENV, str(settings.raw_dir))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder builds on a real warehouse: `pytest -m "not integration"` skips them.
    And the files of this folder that do not need the session's warehouse (`cchc bench` and the truth
    province build their own) are queued right after the first file that needs it: xdist hands the
    workers files in this order, one or two at a time, so the other worker works on those while the
    session's warehouse is built rather than waiting on its lock (it waited 25-30 s)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.integration)
    needing = [item for item in items if "warehouse_settings" in getattr(item, "fixturenames", ())]
    if needing:
        first = needing[0].path
        own = {item.path for item in items if item.path.is_relative_to(here)} - {
            item.path for item in needing
        }
        beside = [item for item in items if item.path in own]
        rest = [item for item in items if item.path not in own]
        at = max(index for index, item in enumerate(rest) if item.path == first) + 1
        items[:] = rest[:at] + beside + rest[at:]
    _long_files_first(items, here)


def _long_files_first(items: list[pytest.Item], here: Path) -> None:
    """The other test files follow this folder's, the long ones first (marked `long`, or `ocr`): the
    suite ended with one worker running the last of them (test_warm_dbt, 21 s) while the other had
    nothing left (18 s)."""
    long = {item.path for item in items if item.get_closest_marker("long") or item.get_closest_marker("ocr")}
    mine = [item for item in items if item.path.is_relative_to(here)]
    others = [item for item in items if not item.path.is_relative_to(here)]
    items[:] = (
        mine
        + [item for item in others if item.path in long]
        + [item for item in others if item.path not in long]
    )


def _build_session_warehouse(root: Path) -> Settings:
    """Plans and indices (good and broken) in `root`/raw, built into `root`/warehouse."""
    raw = root / "raw"
    (raw / "plans").mkdir(parents=True)
    for plan in FIXTURE_PLANS.glob("*.md"):
        if plan.stem in PDF_PLANS:
            plan = FIXTURE_PLANS / "pdf" / f"{plan.stem}.pdf"
        shutil.copy(plan, raw / "plans" / plan.name)
    for name, content in BROKEN_PLANS.items():
        (raw / "plans" / name).write_bytes(content)
    (raw / "indices").mkdir()
    for name in INDEX_FILES:
        shutil.copy(FIXTURE_INDICES / name, raw / "indices" / name)
    for name, content in BROKEN_INDICES.items():
        (raw / "indices" / name).write_bytes(content)
    (root / "warehouse").mkdir()
    settings = Settings.at(root / "warehouse" / "cchc.duckdb", raw)
    results = build_warehouse(settings)
    assert all(result.success for result in results)
    return settings


@pytest.fixture(scope="session")
def warehouse_settings(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Settings]:
    """The session's warehouse, built once for all workers: in the run's common temp folder (the parent
    of each worker's own), by whichever worker takes the lock first; the others wait for it and open the
    same files, read-only (a test that writes works on a fork)."""
    base = tmp_path_factory.getbasetemp()
    root = (base if worker_id == "master" else base.parent) / "session-warehouse"
    failed = root.with_suffix(".failed")
    with open(root.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():  # one failed build is enough: the other worker does not build it again
            pytest.fail(f"the session warehouse failed to build in another worker: {failed.read_text()}")
        done = root / "built"
        if done.exists():
            settings = Settings.at(root / "warehouse" / "cchc.duckdb", root / "raw")
        else:
            try:
                settings = _build_session_warehouse(root)
            except BaseException as error:
                failed.write_text(repr(error)[:2000])
                raise
            done.touch()
    with pytest.MonkeyPatch.context() as monkeypatch:
        point_cli_at(monkeypatch, settings)
        yield settings


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A real PostgreSQL server as the server deployment runs it (`cchc server start`): a cluster in a
    temp folder of its own, on a socket in that folder; stopped and removed after the session."""
    with temporary_cluster() as cluster:
        yield cluster


@pytest.fixture()
def fork(warehouse_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The session's warehouse and raw/, copied for a test that changes them; `cchc` points at the copy."""
    settings = fork_warehouse(warehouse_settings, tmp_path)
    point_cli_at(monkeypatch, settings)
    return settings


# the views of schema `bi` that BI tools browse (dbt exposure bi_views)
BI_VIEWS = {
    "target_progress",
    "task_progress",
    "cchc_index",
    "report_compliance",
    "report_value_changes",
    "province_index_trend",
    "province_index_components",
    "criterion_scores",
    "cchc_official_index",
    "self_assessment_gap",
}


@dataclass(frozen=True)
class Office:
    soffice: str
    pdftoppm: str
    pdftotext: str

    def to_pdf(self, workbook: Path, directory: Path) -> Path:
        """Open the workbook in LibreOffice and print it to PDF (a profile of its own, so that two
        conversions at once do not share one)."""
        profile = f"-env:UserInstallation={(directory / 'libreoffice-profile').as_uri()}"
        subprocess.run(
            [
                self.soffice,
                profile,
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(directory),
                str(workbook),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return directory / f"{workbook.stem}.pdf"

    def text(self, pdf: Path, *, layout: bool = False, raw: bool = False, page: int | None = None) -> str:
        """The PDF's text as a reader sees it printed (with `layout`, lines as they stand on the page;
        with `raw`, in the order drawn: a cell's wrapped lines together, whatever stands beside them)."""
        pages = ["-f", str(page), "-l", str(page)] if page else []
        mode = ["-layout"] if layout else ["-raw"] if raw else []
        command = [self.pdftotext, *mode, *pages, str(pdf), "-"]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout

    def overprinted(self, pdf: Path) -> list[str]:
        """Where a printed page draws text over text: a wrapped cell taller than its row runs into the row
        below, a header into the values, a label into the next column. Upright characters only (a chart's
        rotated axis labels have no upright boxes); '(page) text over text' for each."""
        found = []
        with pdfplumber.open(pdf) as document:
            for number, page in enumerate(document.pages, start=1):
                upright = (c for c in page.chars if c["text"].strip() and c["upright"])
                chars = sorted(upright, key=lambda c: c["top"])
                for index, first in enumerate(chars):
                    for second in chars[index + 1 :]:
                        if second["top"] >= first["bottom"]:
                            break
                        across = min(first["x1"], second["x1"]) - max(first["x0"], second["x0"])
                        down = min(first["bottom"], second["bottom"]) - max(first["top"], second["top"])
                        if across > min(first["width"], second["width"]) / 2 and down > first["height"] / 2:
                            found.append(f"({number}) {first['text']} over {second['text']}")
        return found

    def not_printed_whole(self, workbook: Path, pdf: Path) -> list[str]:
        """The text cells of the workbook's visible sheets and columns that the printed PDF does not show
        whole: a label cut at the next column is printed truncated ("… dẫ"), so it is missing here.
        Compared without whitespace, as a cell wraps a long file name inside a word."""
        printed = "".join(self.text(pdf, raw=True).split())
        missing = []
        for sheet in openpyxl.load_workbook(workbook):
            if sheet.sheet_state != "visible":
                continue
            for row in sheet.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, str) or not cell.value.strip() or cell.data_type == "f":
                        continue  # numbers and formulas print as values; merged cells hold nothing
                    hidden = sheet.column_dimensions[cell.column_letter].hidden
                    if not hidden and "".join(cell.value.split()) not in printed:
                        missing.append(f"{sheet.title}!{cell.coordinate}: {cell.value}")
        return missing

    def smallest_type(self, pdf: Path) -> float:
        """The smallest text printed on any page, in points as printed: a sheet shrunk to fit the page's
        width prints every font smaller than it is set. A character turned a quarter (a chart's upright
        axis labels) is as tall as its type across the page: pdfplumber's size is then its advance."""
        with pdfplumber.open(pdf) as document:
            return min(
                round(char["size"] if char["upright"] else char["width"], 1)
                for page in document.pages
                for char in page.chars
                if char["text"].strip()
            )

    def beyond_the_page(self, pdf: Path, margin: float) -> list[int]:
        """Pages where something is drawn above or below the printed area (`margin` points from the top and
        bottom edges): a chart cut by a page break is drawn whole on both pages, clipped to each."""
        pages = []
        with pdfplumber.open(pdf) as document:
            for number, page in enumerate(document.pages, start=1):
                drawn = page.chars + page.rects + page.lines + page.curves
                if any(o["top"] < margin - 6 or o["bottom"] > page.height - margin + 6 for o in drawn):
                    pages.append(number)
        return pages


@pytest.fixture(scope="session")
def office() -> Office:
    """LibreOffice and poppler, which render workbooks as their readers open them. They are system
    packages: .ci/run installs them, and the README tells a developer to (libreoffice-calc, poppler-utils)."""
    found = {name: shutil.which(name) for name in ("soffice", "pdftoppm", "pdftotext")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: apt-get install -y libreoffice-calc poppler-utils")
    return Office(**found)


@dataclass(frozen=True)
class Browser:
    chromium: str

    def dom_offline(self, page: Path, *, seconds: int = 10) -> str:
        """The page as headless Chromium renders it from disk with every network request refused: the
        DOM after its scripts ran. A profile of its own, removed after (Chromium's default one left a
        folder in ~/.cache/chromium-headless each time)."""
        with tempfile.TemporaryDirectory() as profile:
            done = subprocess.run(
                [
                    self.chromium,
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--user-data-dir={profile}",
                    "--proxy-server=127.0.0.1:9",  # nothing listens there: any request fails
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                    f"--virtual-time-budget={seconds * 1000}",
                    "--dump-dom",
                    page.as_uri(),
                ],
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            )
        return done.stdout


@pytest.fixture(scope="session")
def browser() -> Browser:
    """Chromium, to open what the platform writes as a reader's browser does. A system package: .ci/run
    installs it, and the README tells a developer to (chromium)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium not found: apt-get install -y chromium")
    return Browser(found)


@pytest.fixture()
def published(warehouse_settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published copy, as a BI tool opens it."""
    conn = duckdb.connect(str(warehouse_settings.published_path), read_only=True)
    yield conn
    conn.close()
