"""Progress reports in raw/reports (any sub-folders) → raw_reports tables, one partition per period.

Since 2025 every commune reports, so files are not runs: a partition is a reporting period
("2024-Q3", or "unidentified" for files that name none), and within it the content-hash ledger
(landing.ledger, kept in raw_reports.report_submissions) skips files already loaded by the same
reader. The sensor groups new or changed files by the period they are for and asks for one run per
period.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource
from pydantic import Field

from pipelines.landing.ledger import Entry, Landed, Load, land, pending
from pipelines.landing.versions import reader_version
from pipelines.landing.workers import read_all
from pipelines.reports import load
from pipelines.reports.read import ReportReading, ReportRejected, planned_period, read_report
from pipelines.resources import WAREHOUSE_POOL
from pipelines.settings import Settings

LEDGER = load.LEDGER
UNIDENTIFIED = "unidentified"
report_periods = dg.DynamicPartitionsDefinition(name="report_periods")


def report_reader_version() -> str:
    return reader_version("reports", "workbooks.py")


def file_period(path: Path) -> str:
    try:
        return planned_period(path)
    except ReportRejected:
        return UNIDENTIFIED


def pending_reports(directory: Path, current: dict[str, Entry]) -> dict[str, dict[str, str | None]]:
    """Period → {file: content hash} of files that are new, changed, or read by an older reader, and
    {file: None} of files loaded before and since removed (their period's run forgets them).

    A content the ledger already holds (a copy under another name) keeps the period it was read for;
    any other file is identified from its hidden block (its general sheet if it has none), across
    the cores."""
    version = report_reader_version()
    todo = pending(directory, current, version)
    known = {
        entry.content_hash: entry.partition or UNIDENTIFIED
        for entry in current.values()
        if entry.reader_version == version
    }
    unknown = sorted(key for key, digest in todo.changed.items() if digest not in known)
    identified = dict(zip(unknown, read_all(file_period, [directory / key for key in unknown]), strict=True))
    periods: dict[str, dict[str, str | None]] = {}
    for key, digest in todo.changed.items():
        periods.setdefault(identified.get(key) or known[digest], {})[key] = digest
    for key in todo.removed:
        periods.setdefault(current[key].partition or UNIDENTIFIED, {})[key] = None
    return periods


_SPECS = [
    LEDGER.spec(
        "report_submissions",
        "One row per report file: agency, period, template version, or why it was rejected.",
    ),
    LEDGER.spec(
        "report_indicator_values",
        "Indicator values of each report, with cell, text as typed and row status.",
        "report_submissions",
    ),
    LEDGER.spec(
        "report_task_status",
        "Task statuses of each report, with cell, text as typed and row status.",
        "report_submissions",
    ),
    LEDGER.spec(
        "report_submission_versions",
        "Every content a report file has had: appended, never rewritten.",
        "report_submissions",
    ),
]


def _received_at(landed: Landed) -> datetime:
    """When the file arrived, as the landing folder has it (its modification time)."""
    return datetime.fromtimestamp(landed.modified_ns / 1e9, UTC).replace(tzinfo=None, microsecond=0)


def _read(path: Path) -> tuple[ReportReading | None, str | None, tuple[str, str] | None]:
    try:
        reading = read_report(path)
        return reading, None, (reading.agency_key, reading.period_key)
    except ReportRejected as rejection:
        return None, rejection.reason, rejection.identified


@dataclass(frozen=True)
class FileToLoad:
    directory: Path
    source_file: str
    archive_dir: Path
    reader_version: str


def load_file(file: FileToLoad) -> tuple[Load, str | None]:
    """Archive one report file and read the archived copy: its records for the raw tables, and why it
    was rejected (run in a worker process: module-level, argument and result picklable)."""
    landed = land(file.directory, file.source_file, file.archive_dir, file.reader_version)
    reading, reason, identified = _read(landed.archived_file)
    record = load.submission_record(
        landed, _received_at(landed), reading=reading, rejection_reason=reason, identified=identified
    )
    return (record, load.value_records(reading)), reason


class PeriodFiles(dg.Config):
    """The files of the run's period as the planner found them (to load, and gone from raw/reports), so
    the run neither lists nor identifies them again. Unplanned (a run launched by hand), the run finds
    them itself."""

    planned: bool = False
    load: list[str] = Field(default_factory=list)
    forget: list[str] = Field(default_factory=list)


def _split(files: dict[str, str | None]) -> tuple[list[str], list[str]]:
    """A period's pending files (file → content hash, or None when removed): to load, and to forget."""
    return (
        sorted(key for key, digest in files.items() if digest),
        sorted(key for key, digest in files.items() if digest is None),
    )


def period_files_config(files: dict[str, str | None]) -> dict:
    """The run config that hands a period's planned files to its run."""
    to_load, to_forget = _split(files)
    return {"ops": {"report_tables": {"config": {"planned": True, "load": to_load, "forget": to_forget}}}}


@dg.multi_asset(specs=_SPECS, partitions_def=report_periods, pool=WAREHOUSE_POOL, can_subset=False)
def report_tables(
    context: dg.AssetExecutionContext, config: PeriodFiles, duckdb: DuckDBResource, settings: Settings
):
    """Load the new or changed report files of one period, read across the cores and written in one
    transaction; forget that period's removed files."""
    period = context.partition_key
    directory = settings.reports_dir
    version = report_reader_version()
    with duckdb.get_connection() as conn:
        LEDGER.ensure(conn)
        if config.planned:
            keys, gone = sorted(config.load), sorted(config.forget)
        else:
            keys, gone = _split(pending_reports(directory, LEDGER.current(conn)).get(period, {}))
        archive_dir = settings.archive_dir("reports")
        results = read_all(load_file, [FileToLoad(directory, key, archive_dir, version) for key in keys])
        loads = [loaded for loaded, _ in results]
        for key, (_, reason) in zip(keys, results, strict=True):
            if reason is not None:
                context.log.warning(f"Report {key} rejected: {reason}")
        LEDGER.write_many(conn, loads)
        LEDGER.forget(conn, gone)
    if gone:
        context.log.info(f"Report files no longer in raw/reports, rows removed: {', '.join(gone)}")
    accepted = sum(1 for _, reason in results if reason is None)
    common = {"period": period, "files_now": len(keys) + len(gone), "parser_version": version}
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("report_submissions"),
        metadata={**common, "accepted_now": accepted, "rejected_now": len(keys) - accepted},
    )
    for table in ("report_indicator_values", "report_task_status", "report_submission_versions"):
        yield dg.MaterializeResult(asset_key=LEDGER.key(table), metadata=common)


ingest_reports_job = dg.define_asset_job(
    name="ingest_reports",
    selection=dg.AssetSelection.groups(LEDGER.group),
    partitions_def=report_periods,
    description="Ingest the new or changed report files of one reporting period from raw/reports.",
)


def run_key(period: str, files: dict[str, str | None]) -> str:
    digest = hashlib.sha256("".join(f"{key}:{value}\n" for key, value in sorted(files.items())).encode())
    return f"{period}:{digest.hexdigest()[:16]}:{report_reader_version()}"


@dg.sensor(job=ingest_reports_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def report_files_sensor(context: dg.SensorEvaluationContext, settings: Settings) -> dg.SensorResult:
    """Watch raw/reports: one run per period that has new, changed or removed files."""
    pending = pending_reports(settings.reports_dir, LEDGER.read_current(settings.published_path))
    known = set(context.instance.get_dynamic_partitions(report_periods.name))
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                partition_key=period, run_key=run_key(period, files), run_config=period_files_config(files)
            )
            for period, files in pending.items()
        ],
        dynamic_partitions_requests=[report_periods.build_add_request(sorted(set(pending) - known))],
    )
