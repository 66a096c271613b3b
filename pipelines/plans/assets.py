"""Plan documents in raw/plans → raw_plans tables (one partition per file).

Each file in `raw/plans/` is a dynamic partition, so a new or changed document is ingested alone. A
document that cannot be read or holds no plan is recorded as rejected with its reason; its run still
succeeds, and the other documents are untouched. A removed document's partition forgets its rows.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.landing.ledger import Entry, Pending, land, pending
from pipelines.landing.versions import reader_version
from pipelines.plans import load
from pipelines.plans.blocks import DocumentRejected
from pipelines.plans.documents import read_document
from pipelines.plans.parse import ParsedPlan, parse_document
from pipelines.resources import WAREHOUSE_POOL
from pipelines.settings import Settings

LEDGER = load.LEDGER
plan_files = dg.DynamicPartitionsDefinition(name="plan_files")

_SPECS = [
    LEDGER.spec(
        "plan_documents",
        "One row per plan file: number, issuer, dates, period, parent plan, or the rejection.",
    ),
    LEDGER.spec(
        "plan_targets",
        "Quantified targets of each plan's 'Mục tiêu' parts, with indicator, level and year.",
        "plan_documents",
    ),
    LEDGER.spec(
        "plan_tasks",
        "Appendix tasks of each plan with lead and coordinating agencies and parsed deadlines.",
        "plan_documents",
    ),
    LEDGER.spec(
        "plan_task_agencies",
        "Each agency name of each task's lead and coordinating cells, resolved where possible.",
        "plan_tasks",
    ),
    LEDGER.spec(
        "plan_document_versions",
        "Every content a plan file has had: appended on each new content, never rewritten.",
        "plan_documents",
    ),
]


def plan_reader_version() -> str:
    return reader_version("plans")


def pending_plans(settings: Settings, current: dict[str, Entry]) -> Pending:
    """Plan files that are new, changed or read by an older parser, and plan files removed since."""
    return pending(settings.plans_dir, current, plan_reader_version())


@dg.multi_asset(specs=_SPECS, partitions_def=plan_files, pool=WAREHOUSE_POOL, can_subset=False)
def plan_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, settings: Settings):
    """Read one plan file and load its document row, targets and tasks into raw_plans."""
    key = context.partition_key
    path = settings.plans_dir / key
    version = plan_reader_version()
    if not path.is_file():
        with duckdb.get_connection() as conn:
            LEDGER.ensure(conn)
            LEDGER.forget(conn, [key])
        context.log.info(f"Plan {key} is no longer in raw/plans: its rows are removed, its history stays")
        for spec in _SPECS:
            yield dg.MaterializeResult(asset_key=spec.key, metadata={"source_file": key, "status": "removed"})
        return
    landed = land(settings.plans_dir, key, settings.archive_dir("plans"), version)
    parsed: ParsedPlan | None = None
    reason: str | None = None
    try:
        parsed = parse_document(read_document(landed.archived_file))
    except DocumentRejected as rejection:
        reason = rejection.reason
        because = f" ({rejection.detail})" if rejection.detail else ""
        context.log.warning(f"Plan {key} rejected{because}: {reason}")
    documents = load.document_frame(landed, parsed=parsed, rejection_reason=reason)
    targets = load.target_frame(parsed)
    tasks, task_agencies = load.task_frames(parsed)
    with duckdb.get_connection() as conn:
        LEDGER.ensure(conn)
        LEDGER.write(
            conn,
            documents,
            {"plan_targets": targets, "plan_tasks": tasks, "plan_task_agencies": task_agencies},
        )
    common = {
        "source_file": key,
        "content_hash": landed.content_hash,
        "status": "parsed" if parsed else "rejected",
        "parser_version": version,
    }
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("plan_documents"),
        metadata={**common, "rejection_reason": reason or "", "issuer": _issuer(parsed)},
    )
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("plan_targets"),
        metadata={
            **common,
            "rows": targets.height,
            "unclassified": targets.filter(targets["indicator_code"] == "unclassified").height,
            "implausible": targets.filter(targets["is_implausible"]).height,
        },
    )
    yield dg.MaterializeResult(asset_key=LEDGER.key("plan_tasks"), metadata={**common, "rows": tasks.height})
    yield dg.MaterializeResult(
        asset_key=LEDGER.key("plan_task_agencies"),
        metadata={
            **common,
            "rows": task_agencies.height,
            "unresolved": task_agencies.filter(task_agencies["resolution_status"] == "unknown").height,
        },
    )
    yield dg.MaterializeResult(asset_key=LEDGER.key("plan_document_versions"), metadata=common)


def _issuer(parsed: ParsedPlan | None) -> str:
    if parsed is None:
        return ""
    return parsed.metadata.issuer_agency_key or parsed.metadata.issuer_raw or ""


ingest_plans_job = dg.define_asset_job(
    name="ingest_plans",
    selection=dg.AssetSelection.groups(LEDGER.group),
    partitions_def=plan_files,
    description="Ingest one plan document from raw/plans (one partition per file).",
)


def plan_partitions(todo: Pending) -> dict[str, str]:
    """Partition → what it does (a content hash to load, or "removed"), one per pending plan file."""
    return {**todo.changed, **dict.fromkeys(todo.removed, "removed")}


@dg.sensor(job=ingest_plans_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def plan_files_sensor(context: dg.SensorEvaluationContext, settings: Settings) -> dg.SensorResult:
    """Watch raw/plans: one run per new, changed or removed file, against the published ledger."""
    partitions = plan_partitions(pending_plans(settings, LEDGER.read_current(settings.published_path)))
    known = set(context.instance.get_dynamic_partitions(plan_files.name))
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(partition_key=key, run_key=f"{key}:{what}:{plan_reader_version()}")
            for key, what in sorted(partitions.items())
        ],
        dynamic_partitions_requests=[plan_files.build_add_request(sorted(set(partitions) - known))],
    )
