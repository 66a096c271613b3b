"""Progress reports in raw/reports (any sub-folders) → raw_reports tables, one partition per period.

Since 2025 every commune reports, so files are not runs: a partition is a reporting period
("2024-Q3", or "unidentified" for files that name none), and within it the content-hash ledger
(landing.ledger, kept in raw_reports.report_submissions) skips files already loaded by the same
reader. The sensor groups new or changed files by the period they are for and asks for one run per
period.
"""

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.landing.ledger import Entry, land, pending
from pipelines.landing.versions import reader_version
from pipelines.reports import load
from pipelines.reports.read import ReportReading, ReportRejected, identify_report, read_report
from pipelines.resources import WAREHOUSE_POOL
from pipelines.settings import Settings

LEDGER = load.LEDGER
UNIDENTIFIED = "unidentified"
report_periods = dg.DynamicPartitionsDefinition(name="report_periods")


def report_reader_version() -> str:
    return reader_version("reports", "workbooks.py")


def file_period(path: Path) -> str:
    try:
        return identify_report(path)[1]
    except ReportRejected:
        return UNIDENTIFIED


def pending_reports(directory: Path, current: dict[str, Entry]) -> dict[str, dict[str, str | None]]:
    """Period → {file: content hash} of files that are new, changed, or read by an older reader, and
    {file: None} of files loaded before and since removed (their period's run forgets them)."""
    todo = pending(directory, current, report_reader_version())
    periods: dict[str, dict[str, str | None]] = {}
    for key, digest in todo.changed.items():
        periods.setdefault(file_period(directory / key), {})[key] = digest
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


def _received_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None, microsecond=0)


def _read(path: Path) -> tuple[ReportReading | None, str | None, tuple[str, str] | None]:
    try:
        reading = read_report(path)
        return reading, None, (reading.agency_key, reading.period_key)
    except ReportRejected as rejection:
        try:
            identified = identify_report(path)
        except ReportRejected:
            identified = None
        return None, rejection.reason, identified


@dg.multi_asset(specs=_SPECS, partitions_def=report_periods, pool=WAREHOUSE_POOL, can_subset=False)
def report_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, settings: Settings):
    """Load the new or changed report files of one period; forget that period's removed files."""
    period = context.partition_key
    directory = settings.reports_dir
    version = report_reader_version()
    accepted = rejected = 0
    with duckdb.get_connection() as conn:
        LEDGER.ensure(conn)
        files = pending_reports(directory, LEDGER.current(conn)).get(period, {})
        for key, digest in sorted((key, digest) for key, digest in files.items() if digest):
            path = directory / key
            landed = land(directory, key, settings.archive_dir("reports"), version, digest)
            reading, reason, identified = _read(path)
            if reading is None:
                rejected += 1
                context.log.warning(f"Report {key} rejected: {reason}")
            else:
                accepted += 1
            indicators, tasks = load.value_frames(reading)
            submission = load.submission_frame(
                landed,
                _received_at(path),
                reading=reading,
                rejection_reason=reason,
                identified=identified,
            )
            LEDGER.write(
                conn, submission, {"report_indicator_values": indicators, "report_task_status": tasks}
            )
        gone = sorted(key for key, digest in files.items() if digest is None)
        LEDGER.forget(conn, gone)
    if gone:
        context.log.info(f"Report files no longer in raw/reports, rows removed: {', '.join(gone)}")
    common = {"period": period, "files_now": len(files), "parser_version": version}
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("report_submissions"),
        metadata={**common, "accepted_now": accepted, "rejected_now": rejected},
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


@dg.sensor(job=ingest_reports_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def report_files_sensor(context: dg.SensorEvaluationContext, settings: Settings) -> dg.SensorResult:
    """Watch raw/reports: one run per period that has new, changed or removed files."""
    pending = pending_reports(settings.reports_dir, LEDGER.read_current(settings.published_path))
    known = set(context.instance.get_dynamic_partitions(report_periods.name))
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(partition_key=period, run_key=run_key(period, files))
            for period, files in pending.items()
        ],
        dynamic_partitions_requests=[report_periods.build_add_request(sorted(set(pending) - known))],
    )
