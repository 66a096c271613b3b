"""Progress reports in raw/reports (any sub-folders) → raw_reports tables, one partition per period.

Since 2025 every commune reports, so files are not runs: a partition is a reporting period
("2024-Q3", or "unidentified" for files that name none), and within it the content-hash ledger
(landing.ledger, kept in raw_reports.report_submissions) skips files already loaded by the same
reader. The sensor groups new or changed files by the period they are for and asks for one run per
period.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.forms.report.layout import FIRST_YEAR
from pipelines.landing.faults import READER_FAULT, is_reader_fault
from pipelines.landing.files import Kept, Received
from pipelines.landing.ledger import Entry, Landed, Load, Pending, land_packed
from pipelines.landing.source import RunFiles, Runs, Source, split
from pipelines.landing.workers import read_ahead, read_all
from pipelines.settings import WAREHOUSE_POOL, Settings
from pipelines.sources.reports import load
from pipelines.sources.reports.read import (
    ReportReading,
    ReportRejected,
    named_period,
    planned_period,
    read_report,
)

log = logging.getLogger(__name__)

LEDGER = load.LEDGER
UNIDENTIFIED = "unidentified"
report_periods = dg.DynamicPartitionsDefinition(name="report_periods")


def file_periods(paths: list[Path]) -> list[str]:
    """The period of each file, for the planner's workers."""
    return [file_period(path) for path in paths]


def file_period(path: Path) -> str:
    try:
        return planned_period(path)
    except ReportRejected:
        return UNIDENTIFIED
    except BaseException as error:  # the run of unidentified files reads it and says what failed
        if not is_reader_fault(error):
            raise
        return UNIDENTIFIED


def _named(key: str) -> str | None:
    """The period a file's name says, when it could be a report's (not a typo's year 2052: that file is
    opened, so that no run is made for a period that cannot be)."""
    period = named_period(key)
    return period if period and FIRST_YEAR <= int(period[:4]) <= date.today().year else None


def by_period(directory: Path, todo: Pending, current: Mapping[str, Entry], version: str) -> Runs:
    """Period → {file: content hash} of files that are new, changed, or read by an older reader, and
    {file: None} of files loaded before and since removed (their period's run forgets them).

    A content the ledger already holds (a copy under another name) keeps the period it was read for;
    a file whose name says its period ("…_quy-III-2024.xlsx") goes to that period's run unopened (the
    run's read refuses it if its content is for another); any other file is identified from its hidden
    block (its general sheet if it has none), across the cores."""
    known = {
        entry.content_hash: entry.partition or UNIDENTIFIED
        for entry in current.values()
        if entry.reader_version == version
    }
    unknown = sorted(key for key, digest in todo.changed.items() if digest not in known)
    identified = {key: period for key in unknown if (period := _named(key))}
    unnamed = [key for key in unknown if key not in identified]
    identified |= zip(unnamed, read_all(file_periods, [directory / key for key in unnamed]), strict=True)
    periods: Runs = {}
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


def _read(path: Path | Received) -> tuple[ReportReading | None, str | None, tuple[str, str] | None]:
    try:
        reading = read_report(path)
        return reading, None, (reading.agency_key, reading.period_key)
    except ReportRejected as rejection:
        return None, rejection.reason, rejection.identified
    except BaseException as error:  # one file's fault must not stop the other files of its period
        if not is_reader_fault(error):
            raise
        log.exception("%s: the report reader failed", path.name)
        return None, READER_FAULT, None


@dataclass(frozen=True)
class FileToLoad:
    directory: Path
    source_file: str
    archive_dir: Path
    reader_version: str
    kept: Kept | None  # where the archive keeps the content the ledger has for the file


def _to_load(settings: Settings, keys: Iterable[str], current: Mapping[str, Entry]) -> list[FileToLoad]:
    """What a worker needs to load each file: the same for a run's read and for its read ahead."""
    directory, archive_dir = SOURCE.folder(settings), SOURCE.archive(settings)
    version = SOURCE.reader_version()
    return [
        FileToLoad(
            directory, key, archive_dir, version, entry.kept() if (entry := current.get(key)) else None
        )
        for key in keys
    ]


def read_run_ahead(settings: Settings, files: Mapping[str, str | None], current: Mapping[str, Entry]) -> None:
    """Start reading the files a period's run will load, in the worker pool, before the run asks."""
    read_ahead(load_files, _to_load(settings, split(files)[0], current))


def load_files(files: list[FileToLoad]) -> list[tuple[Load, str | None]]:
    """Archive report files in one pack and read the bytes packed: each one's submission record, its
    share of the batch's row frames, and why it was rejected (run in a worker process: module-level,
    argument and result picklable). The files are of one run: one folder, archive and reader."""
    places = {(file.directory, file.archive_dir, file.reader_version) for file in files}
    if len(places) > 1:
        raise ValueError(f"report files of {len(places)} folders, archives or readers in one batch")
    if not files:
        return []
    directory, archive_dir, version = places.pop()
    keys = [(file.source_file, file.kept) for file in files]
    read = land_packed(directory, keys, archive_dir, version, _record)
    shares = load.batch_rows([rows for _, rows, _ in read])
    return [((record, rows), reason) for (record, _, reason), rows in zip(read, shares, strict=True)]


def _record(landed: Landed) -> tuple[dict[str, object], load.TableRows, str | None]:
    """A landed file's submission record, its rows and why it was refused."""
    reading, reason, identified = _read(landed.file)
    record = load.submission_record(
        landed, _received_at(landed), reading=reading, rejection_reason=reason, identified=identified
    )
    return record, load.row_tuples(reading), reason


@dg.multi_asset(specs=_SPECS, partitions_def=report_periods, pool=WAREHOUSE_POOL, can_subset=False)
def report_tables(
    context: dg.AssetExecutionContext, config: RunFiles, duckdb: DuckDBResource, settings: Settings
):
    """Load the new or changed report files of one period, read across the cores and written in one
    transaction; forget that period's removed files."""
    period = context.partition_key
    version = SOURCE.reader_version()
    with duckdb.get_connection() as conn:
        LEDGER.ensure(conn)
        keys, gone = SOURCE.files_of_run(conn, settings, period, config)
        results = read_all(load_files, _to_load(settings, keys, LEDGER.current(conn, keys)))
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


SOURCE = Source(
    name="reports",
    title="Report files",
    noun="report",
    ledger=LEDGER,
    reader=__name__,
    group=by_period,
    partitions=report_periods,
    assets=report_tables,
    files_mart=("report_submissions", "submission_status"),
    read_ahead=read_run_ahead,
)
