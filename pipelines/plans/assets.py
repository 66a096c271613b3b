"""Plan documents in raw/plans → plan_documents, plan_targets, plan_tasks (one partition per file).

Each file in `raw/plans/` is a dynamic partition, so a new or changed document is ingested alone.
A document that cannot be read or holds no plan is recorded as rejected with its reason; its run
still succeeds, and the other documents are untouched.
"""

from functools import cache, partial
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.landing import archive, code_digest, content_hash, landed_files
from pipelines.plans import load
from pipelines.plans.documents import DocumentRejected, read_document
from pipelines.plans.parse import ParsedPlan, parse_document
from pipelines.resources import ProjectPaths
from pipelines.settings import SEEDS_DIR
from pipelines.warehouse.pools import WAREHOUSE_POOL
from pipelines.warehouse.raw_assets import raw_table_spec

plan_files = dg.DynamicPartitionsDefinition(name="plan_files")

PLANS_GROUP = "plans"


_spec = partial(raw_table_spec, PLANS_GROUP)


_SPECS = [
    _spec(
        "plan_documents",
        "One row per plan file: number, issuer, dates, period, parent plan, or the rejection.",
    ),
    _spec(
        "plan_targets",
        "Quantified targets of each plan's 'Mục tiêu' parts, with indicator, level and year.",
        "plan_documents",
    ),
    _spec(
        "plan_tasks",
        "Appendix tasks of each plan with lead and coordinating agencies and parsed deadlines.",
        "plan_documents",
    ),
    _spec(
        "plan_task_agencies",
        "Each agency name of each task's lead and coordinating cells, resolved where possible.",
        "plan_tasks",
    ),
    _spec(
        "plan_document_versions",
        "Every content a plan file has had: appended on each new content, never rewritten.",
        "plan_documents",
    ),
]


@cache
def parser_version() -> str:
    """A digest of the plan parser's code and the reference data it matches against."""
    package = Path(__file__).resolve().parent.parent
    return code_digest(
        [*(package / "plans").glob("*.py"), *(package / "text").glob("*.py"), *SEEDS_DIR.glob("*.csv")]
    )


def plans_dir(paths: ProjectPaths) -> Path:
    return paths.settings().raw_dir / "plans"


@dg.multi_asset(specs=_SPECS, partitions_def=plan_files, pool=WAREHOUSE_POOL, can_subset=False)
def plan_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: ProjectPaths):
    """Read one plan file and load its document row, targets and tasks into raw_plans."""
    key = context.partition_key
    path = plans_dir(paths) / key
    settings = paths.settings()
    parsed: ParsedPlan | None = None
    reason: str | None = None
    if not path.is_file():
        reason = f"Tệp {key} không còn trong thư mục raw/plans."
        digest, archived = "", ""
    else:
        digest = content_hash(path.read_bytes())
        archived = str(archive(path, digest, settings.warehouse_dir / "archive" / "plans"))
        try:
            parsed = parse_document(read_document(path))
        except DocumentRejected as rejection:
            reason = rejection.reason
    if reason:
        context.log.warning(f"Plan {key} rejected: {reason}")
    documents = load.document_frame(key, digest, archived, parsed=parsed, rejection_reason=reason)
    targets = load.target_frame(parsed, key, digest)
    tasks, task_agencies = load.task_frames(parsed, key, digest)
    with duckdb.get_connection() as conn:
        load.ensure_tables(conn)
        conn.execute("begin transaction")
        load.replace_document_rows(conn, "plan_documents", documents, key)
        load.record_version(conn, documents)
        load.replace_document_rows(conn, "plan_targets", targets, key)
        load.replace_document_rows(conn, "plan_tasks", tasks, key)
        load.replace_document_rows(conn, "plan_task_agencies", task_agencies, key)
        conn.execute("commit")
    status = "parsed" if parsed else "rejected"
    common = {
        "source_file": key,
        "content_hash": digest,
        "status": status,
        "parser_version": parser_version(),
    }
    yield dg.MaterializeResult(
        asset_key="plan_documents",
        metadata={**common, "rejection_reason": reason or "", "issuer": _issuer(parsed)},
    )
    yield dg.MaterializeResult(
        asset_key="plan_targets",
        metadata={
            **common,
            "rows": targets.height,
            "unclassified": targets.filter(targets["indicator_code"] == "unclassified").height,
            "implausible": targets.filter(targets["is_implausible"]).height,
        },
    )
    yield dg.MaterializeResult(
        asset_key="plan_tasks",
        metadata={
            **common,
            "rows": tasks.height,
        },
    )
    yield dg.MaterializeResult(
        asset_key="plan_task_agencies",
        metadata={
            **common,
            "rows": task_agencies.height,
            "unresolved": task_agencies.filter(task_agencies["resolution_status"] == "unknown").height,
        },
    )
    yield dg.MaterializeResult(asset_key="plan_document_versions", metadata=common)


def _issuer(parsed: ParsedPlan | None) -> str:
    if parsed is None:
        return ""
    return parsed.metadata.issuer_agency_key or parsed.metadata.issuer_raw or ""


ingest_plans_job = dg.define_asset_job(
    name="ingest_plans",
    selection=dg.AssetSelection.groups(PLANS_GROUP),
    partitions_def=plan_files,
    description="Ingest one plan document from raw/plans (one partition per file).",
)


def files_to_ingest(instance: dg.DagsterInstance, directory: Path) -> dict[str, str]:
    """Files in raw/plans that are new, whose content changed, or that an older parser read."""
    pending: dict[str, str] = {}
    for key, digest in landed_files(directory).items():
        result = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey("plan_documents"), asset_partitions=[key]), limit=1
        )
        last = result.records[0].asset_materialization if result.records else None
        seen = (
            (last.metadata.get("content_hash"), last.metadata.get("parser_version")) if last else (None, None)
        )
        if [getattr(value, "value", None) for value in seen] != [digest, parser_version()]:
            pending[key] = digest
    return pending


@dg.sensor(job=ingest_plans_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def plan_files_sensor(context: dg.SensorEvaluationContext, paths: ProjectPaths) -> dg.SensorResult:
    """Watch raw/plans: register each new file as a partition and ingest new or changed files."""
    pending = files_to_ingest(context.instance, plans_dir(paths))
    known = set(context.instance.get_dynamic_partitions(plan_files.name))
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(partition_key=key, run_key=f"{key}:{digest}:{parser_version()}")
            for key, digest in pending.items()
        ],
        dynamic_partitions_requests=[plan_files.build_add_request(sorted(set(pending) - known))],
    )
