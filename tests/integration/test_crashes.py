"""Crash-only: `cchc run` killed with SIGKILL (its whole process group) while Tesseract reads a scanned
plan, during ingestion, during the dbt build and during publish, each time on the warehouse the previous
kill left, never needs a manual step: each next run goes on by itself (freeing the dead run's writer
slot, removing the half-written copy), the last one finishes, and every table equals a clean build of
the same raw files. A BI reader opening the published copy all along never fails.

The moments of ingestion and publish are reached through crashpoints (the run waits there to be
killed); the OCR and the dbt build are caught by watching for the Tesseract and dbt processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.bench.scans import first_pages, scanned
from pipelines.crashpoints import CRASH_ENV, INGESTION, PUBLISH
from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.landing.files import content_hash
from pipelines.settings import PROJECT_ROOT, Settings
from pipelines.warehouse.digest import table_digests
from tests.archived import archived_bytes
from tests.integration.conftest import (
    EXTRACTS,
    FIXTURE_PLANS,
    build_warehouse,
    fork_warehouse,
    plan_text,
    point_cli_at,
)

# columns stamped with the moment of loading or publishing: they differ between any two builds; and
# where the archive keeps a file's bytes, in a pack named for the run that read it (which bytes are there
# is checked apart: each path holds the bytes of its content hash)
VOLATILE = {"ingested_at", "published_at", "archived_path"}
RECEIVED = time.time() - 3600


def _new_files(settings: Settings, scratch: Path) -> dict[str, bytes]:
    """Two reports (two period runs) and a plan (a plan run), by path under raw/: made once, so that
    every fork gets the same bytes (a workbook records when it was saved)."""
    with duckdb.connect(str(settings.published_path), read_only=True) as conn:
        forms = [report_form(conn, "dong_nai.so_noi_vu", period) for period in ("2024-Q3", "2024-FY")]
    files = {}
    for form in forms:
        rate = next(line.code for line in form.indicators if line.is_rate)
        filled = fill_report(
            write_template(form, scratch / f"{form.period_key}.xlsx"),
            scratch / f"so-noi-vu-{form.period_key}.xlsx",
            Filling(actuals={rate: "81,5 %"}),
        )
        files[f"reports/{filled.name}"] = filled.read_bytes()
    files["plans/kh-950-ubnd-dong-nai-2025.md"] = plan_text(950).encode()
    # a plan as a clerk scans it: read by Tesseract, a process of the run's own
    seed = next(iter(sorted((FIXTURE_PLANS / "pdf").glob("*.pdf"))))
    scan = scanned(first_pages(seed, scratch / "first.pdf", 2), scratch / "ke-hoach-scan.pdf")
    files["plans/ke-hoach-scan.pdf"] = scan.read_bytes()
    return files


def _drop(files: dict[str, bytes], settings: Settings) -> None:
    for name, content in files.items():
        path = settings.raw_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        os.utime(path, (RECEIVED, RECEIVED))


class Reader(threading.Thread):
    """A BI tool opening the published copy read-only, again and again, while runs are killed: twice a
    second (an opening costs about 20 ms of CPU; twenty a second took 40 s of the suite's CPU from the
    runs it watches, four a second 8 s): each run lives several seconds, so it is read during every one
    and after every kill."""

    def __init__(self, database: Path):
        super().__init__(daemon=True)
        self.database = database
        self.reads = 0
        self.failures: list[str] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                with duckdb.connect(str(self.database), read_only=True) as conn:
                    conn.execute("select count(*) from main.plan_documents").fetchone()
                self.reads += 1
            except Exception as error:
                self.failures.append(repr(error))
            time.sleep(0.5)


def _processes_in_group(group: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _dbt_of(warehouse: Path) -> list[int]:
    """dbt processes building this warehouse: `cchc-dbt`, and the fork of the dbt server that runs its
    dbt (both in the warehouse's folder; the fork is not in the run's process group)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                folder = (entry / "cwd").readlink()
            except OSError:
                continue
            building = ("dbt" in command and " build " in command) or "warehouse.warm_dbt" in command
            if building and folder == warehouse.parent.resolve():
                found.append(int(entry.name))
    return found


def _tesseract_in(group: int) -> bool:
    """A Tesseract process of the process group is reading a page."""
    for pid in _processes_in_group(group):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if command.split(b"\0")[0].endswith(b"tesseract"):
            return True
    return False


class Run:
    """`cchc run` in a process group of its own, as a scheduler or a shell starts it."""

    def __init__(self, home: Path, crash_at: str | None = None):
        env = {**os.environ, "DAGSTER_HOME": str(home)}
        env.pop(CRASH_ENV, None)
        if crash_at:
            env[CRASH_ENV] = crash_at
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "cchc"), "run", "--no-summary"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.stderr: list[str] = []
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        for line in self.process.stderr:
            self.stderr.append(line)

    def said(self, words: str) -> bool:
        return any(words in line for line in self.stderr)

    def wait_until(self, reached, what: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not reached():
            assert self.process.poll() is None, f"the run ended before {what}: {''.join(self.stderr)[-2000:]}"
            assert time.monotonic() < deadline, f"{what} never came: {''.join(self.stderr)[-2000:]}"
            time.sleep(0.1)

    def kill_group(self) -> None:
        group = self.process.pid
        os.killpg(group, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 10
        while _processes_in_group(group) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _processes_in_group(group)


def test_a_run_killed_at_any_moment_never_jams_the_next_and_the_last_equals_a_clean_build(
    warehouse_settings, tmp_path, monkeypatch
):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    reference = fork_warehouse(warehouse_settings, tmp_path / "reference")
    crashed = fork_warehouse(warehouse_settings, tmp_path / "crashed")
    files = _new_files(reference, scratch)
    for settings in (reference, crashed):
        _drop(files, settings)
    # the tables a clean build gives: the extracts are files, not tables, and are left out
    assert all(result.success for result in build_warehouse(reference, dg.AssetSelection.all() - EXTRACTS))

    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    point_cli_at(monkeypatch, crashed)
    reader = Reader(crashed.published_path)
    reader.start()
    try:
        during_ocr = Run(home)
        during_ocr.wait_until(lambda: _tesseract_in(during_ocr.process.pid), "the OCR of the scanned plan")
        during_ocr.kill_group()  # Tesseract with it: nothing of the run outlives it

        during_ingestion = Run(home, crash_at=INGESTION)
        during_ingestion.wait_until(
            lambda: during_ingestion.said("crash point reached: ingestion"), "ingestion"
        )
        during_ingestion.kill_group()

        during_dbt = Run(home)  # goes past the killed run's writer slot and transaction by itself
        during_dbt.wait_until(lambda: _dbt_of(crashed.warehouse_path), "the dbt build")
        time.sleep(2)  # dbt is building models
        during_dbt.kill_group()
        deadline = time.monotonic() + 10  # the fork ends once its cchc-dbt's connection closed
        while _dbt_of(crashed.warehouse_path) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _dbt_of(crashed.warehouse_path)

        during_publish = Run(home, crash_at=PUBLISH)
        during_publish.wait_until(lambda: during_publish.said("crash point reached: publish"), "publish")
        during_publish.kill_group()
        assert (crashed.warehouse_dir / f".{crashed.published_path.name}.tmp").exists()

        last = subprocess.run(
            [str(Path(sys.executable).parent / "cchc"), "run", "--no-summary"],
            env={**os.environ, "DAGSTER_HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        reader.done.set()
        reader.join()
    assert last.returncode == 0, last.stdout[-3000:] + last.stderr[-3000:]
    assert "Freed the writer slot held or awaited by run" in last.stdout
    assert f"Removed .{crashed.published_path.name}.tmp, left by an interrupted run" in last.stdout
    assert not (crashed.warehouse_dir / f".{crashed.published_path.name}.tmp").exists()

    assert reader.failures == [] and reader.reads > 25
    for copy in ("published_path", "quarantine_path"):
        crashed_copy, clean_copy = getattr(crashed, copy), getattr(reference, copy)
        assert table_digests(crashed_copy, VOLATILE) == table_digests(clean_copy, VOLATILE), copy
    with duckdb.connect(str(crashed.warehouse_path), read_only=True) as conn:
        kept = conn.execute(
            "select archived_path, content_hash from raw_reports.report_submission_versions "
            "union all select archived_path, content_hash from raw_plans.plan_document_versions"
        ).fetchall()
    assert len(kept) >= 3  # two reports and a plan, at least
    for archived, digest in kept:  # every version's path holds its bytes, whatever run packed them
        assert content_hash(archived_bytes(crashed.warehouse_dir, archived)) == digest, archived
