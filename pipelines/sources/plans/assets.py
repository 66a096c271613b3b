"""Plan documents in raw/plans → raw_plans tables (one partition per file).

Each file in `raw/plans/` is a dynamic partition, so a new or changed document is ingested alone. A
document that cannot be read or holds no plan is recorded as rejected with its reason, and so is one
the reader fails on by a fault of its own (`pipelines.landing.faults`); its run still succeeds, and the
other documents are untouched. A removed document's partition forgets its rows.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.formats.blocks import DocumentRejected
from pipelines.formats.documents import read_document
from pipelines.landing.faults import READER_FAULT, is_reader_fault
from pipelines.landing.ledger import land
from pipelines.landing.source import RunFiles, Source, one_run_per_file
from pipelines.settings import WAREHOUSE_POOL, Settings
from pipelines.sources.plans import load
from pipelines.sources.plans.parse import ParsedPlan, parse_document

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


@dg.multi_asset(specs=_SPECS, partitions_def=plan_files, pool=WAREHOUSE_POOL, can_subset=False)
def plan_tables(
    context: dg.AssetExecutionContext, config: RunFiles, duckdb: DuckDBResource, settings: Settings
):
    """Read one plan file and load its document row, targets and tasks into raw_plans; or forget the
    rows of a plan file removed from raw/plans."""
    key = context.partition_key
    version = SOURCE.reader_version()
    with duckdb.get_connection() as conn:
        LEDGER.ensure(conn)
        to_load, to_forget = SOURCE.files_of_run(conn, settings, key, config)
        LEDGER.forget(conn, to_forget)
    if key not in to_load:
        if to_forget:
            context.log.info(f"Plan {key} is no longer in raw/plans: its rows are removed, its history stays")
        status = "removed" if to_forget else "unchanged"
        for spec in _SPECS:
            yield dg.MaterializeResult(asset_key=spec.key, metadata={"source_file": key, "status": status})
        return
    landed = land(SOURCE.folder(settings), key, SOURCE.archive(settings), version)
    parsed: ParsedPlan | None = None
    reason: str | None = None
    try:
        parsed = parse_document(read_document(landed.file))
    except DocumentRejected as rejection:
        reason = rejection.reason
        because = f" ({rejection.detail})" if rejection.detail else ""
        context.log.warning(f"Plan {key} rejected{because}: {reason}")
    except BaseException as error:  # refused as the software's fault, re-read when the reader changes
        if not is_reader_fault(error):
            raise
        reason = READER_FAULT
        context.log.exception(f"Plan {key} rejected: the plan reader failed")
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


SOURCE = Source(
    name="plans",
    title="Plan documents",
    noun="plan",
    ledger=LEDGER,
    reader=__name__,
    group=one_run_per_file,
    partitions=plan_files,
    assets=plan_tables,
    files_mart=("plan_documents", "document_status"),
)
