"""Progress reports in raw/reports (any sub-folders) → raw_reports tables, one partition per period.

Since 2025 every commune reports, so files are not runs: a partition is a reporting period
("2024-Q3", or "unidentified" for files that name none), and within it a content-hash ledger
(raw_reports.report_submissions) skips files already loaded by the same reader. The sensor groups
new or changed files by the period they are for and asks for one run per period.
"""

import hashlib
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path

import dagster as dg
import duckdb as duckdb_module
from dagster_duckdb import DuckDBResource

from pipelines.landing import archive, code_digest, landed_files
from pipelines.reports import load
from pipelines.reports.read import ReportReading, ReportRejected, identify_report, read_report
from pipelines.resources import ProjectPaths
from pipelines.settings import SEEDS_DIR
from pipelines.warehouse.pools import WAREHOUSE_POOL
from pipelines.warehouse.raw_assets import raw_table_spec

REPORTS_GROUP = "reports"
UNIDENTIFIED = "unidentified"
report_periods = dg.DynamicPartitionsDefinition(name="report_periods")


@cache
def parser_version() -> str:
    """A digest of the report reader, the workbook reader, text matchers and reference data."""
    package = Path(__file__).resolve().parent.parent
    return code_digest(
        [
            *(package / "reports").glob("*.py"),
            *(package / "text").glob("*.py"),
            package / "workbooks.py",
            *SEEDS_DIR.glob("*.csv"),
        ]
    )


def reports_dir(raw_dir: Path) -> Path:
    return raw_dir / "reports"


def file_period(path: Path) -> str:
    try:
        return identify_report(path)[1]
    except ReportRejected:
        return UNIDENTIFIED


def read_ledger(database: Path) -> dict[str, tuple[str, str, str | None]]:
    """The ledger as a reader sees it (the published copy for the sensor); empty before the first build."""
    if not database.exists():
        return {}
    with duckdb_module.connect(str(database), read_only=True) as conn:
        return load.ledger(conn)


def pending_reports(
    directory: Path, ledger: dict[str, tuple[str, str, str | None]]
) -> dict[str, dict[str, str | None]]:
    """Period → {file: content hash} of files that are new, changed, or read by an older reader, and
    {file: None} of files loaded before and since removed (their period's run forgets them)."""
    present = landed_files(directory)
    pending: dict[str, dict[str, str | None]] = {}
    for key, digest in present.items():
        if ledger.get(key, (None, None, None))[:2] == (digest, parser_version()):
            continue
        pending.setdefault(file_period(directory / key), {})[key] = digest
    for key, (_, _, period) in ledger.items():
        if key not in present:
            pending.setdefault(period or UNIDENTIFIED, {})[key] = None
    return pending


_spec = partial(raw_table_spec, REPORTS_GROUP)


_SPECS = [
    _spec(
        "report_submissions",
        "One row per report file: agency, period, template version, or why it was rejected.",
    ),
    _spec(
        "report_indicator_values",
        "Indicator values of each report, with cell, text as typed and row status.",
        "report_submissions",
    ),
    _spec(
        "report_task_status",
        "Task statuses of each report, with cell, text as typed and row status.",
        "report_submissions",
    ),
    _spec(
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
def report_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: ProjectPaths):
    """Load the new or changed report files of one period; forget that period's removed files."""
    period = context.partition_key
    settings = paths.settings()
    directory = reports_dir(settings.raw_dir)
    accepted = rejected = 0
    with duckdb.get_connection() as conn:
        load.ensure_tables(conn)
        files = pending_reports(directory, load.ledger(conn)).get(period, {})
        for key, digest in sorted((key, digest) for key, digest in files.items() if digest):
            path = directory / key
            archived = str(archive(path, digest, settings.warehouse_dir / "archive" / "reports"))
            reading, reason, identified = _read(path)
            if reading is None:
                rejected += 1
                context.log.warning(f"Report {key} rejected: {reason}")
            else:
                accepted += 1
            indicators, tasks = load.value_frames(reading, key, digest)
            submission = load.submission_frame(
                key,
                digest,
                parser_version(),
                _received_at(path),
                archived,
                reading=reading,
                rejection_reason=reason,
                identified=identified,
            )
            conn.execute("begin transaction")
            load.replace_file(conn, submission, indicators, tasks)
            conn.execute("commit")
        gone = sorted(key for key, digest in files.items() if digest is None)
        conn.execute("begin transaction")
        load.forget_files(conn, gone)
        conn.execute("commit")
    if gone:
        context.log.info(f"Report files no longer in raw/reports, rows removed: {', '.join(gone)}")
    common = {"period": period, "files_now": len(files), "parser_version": parser_version()}
    yield dg.MaterializeResult(
        asset_key="report_submissions",
        metadata={**common, "accepted_now": accepted, "rejected_now": rejected},
    )
    for key in ("report_indicator_values", "report_task_status", "report_submission_versions"):
        yield dg.MaterializeResult(asset_key=key, metadata=common)


ingest_reports_job = dg.define_asset_job(
    name="ingest_reports",
    selection=dg.AssetSelection.groups(REPORTS_GROUP),
    partitions_def=report_periods,
    description="Ingest the new or changed report files of one reporting period from raw/reports.",
)


def run_key(period: str, files: dict[str, str | None]) -> str:
    digest = hashlib.sha256("".join(f"{key}:{value}\n" for key, value in sorted(files.items())).encode())
    return f"{period}:{digest.hexdigest()[:16]}:{parser_version()}"


@dg.sensor(job=ingest_reports_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def report_files_sensor(context: dg.SensorEvaluationContext, paths: ProjectPaths) -> dg.SensorResult:
    """Watch raw/reports: one run per period that has new or changed files."""
    settings = paths.settings()
    pending = pending_reports(reports_dir(settings.raw_dir), read_ledger(settings.published_path))
    known = set(context.instance.get_dynamic_partitions(report_periods.name))
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(partition_key=period, run_key=run_key(period, files))
            for period, files in pending.items()
        ],
        dynamic_partitions_requests=[report_periods.build_add_request(sorted(set(pending) - known))],
    )
