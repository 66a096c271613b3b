"""The leadership extracts as Dagster assets, downstream of the marts they read."""

import json
import os
from datetime import datetime

import dagster as dg
import duckdb
from dagster_dbt import get_asset_key_for_model
from pydantic import Field

from pipelines.extracts.chase import write_chase_list
from pipelines.extracts.export import write_par_trends
from pipelines.extracts.feedback import FOLDER as FEEDBACK_FOLDER
from pipelines.extracts.feedback import send_feedback, write_feedback
from pipelines.extracts.review import FOLDER as REVIEW_FOLDER
from pipelines.extracts.review import write_review_workbooks
from pipelines.extracts.self_assessment_feedback import write_self_assessment_feedback
from pipelines.settings import OWNERS, Settings
from pipelines.warehouse.dbt_assets import cchc_dbt_models
from pipelines.warehouse.periods import last_due
from pipelines.warehouse.project import dbt_project
from pipelines.warehouse.publish import published_warehouse

EXTRACTS_GROUP = "extracts"
PAR_TREND_EXPOSURE = "exposure.cchc_warehouse.par_trend_extract"


def exposure_models(unique_id: str) -> list[str]:
    """The models a dbt exposure depends on, from the prepared manifest: the one list of what an extract
    reads, shared by dbt docs and the Dagster asset graph."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    return sorted(node.split(".")[-1] for node in manifest["exposures"][unique_id]["depends_on"]["nodes"])


@dg.asset(
    deps=[
        published_warehouse,
        *(get_asset_key_for_model([cchc_dbt_models], m) for m in exposure_models(PAR_TREND_EXPOSURE)),
    ],
    group_name=EXTRACTS_GROUP,
    owners=OWNERS,
    kinds={"excel", "csv"},
)
def par_trend_extracts(settings: Settings) -> dg.MaterializeResult:
    """PAR Index trend workbooks (with charts), PNG charts and CSV for leadership, per province and year."""
    built_at = datetime.fromtimestamp(settings.published_path.stat().st_mtime)
    # read the published copy, as BI tools do: the extract shows exactly what was published
    with duckdb.connect(str(settings.published_path), read_only=True) as conn:
        written = write_par_trends(conn, settings.extracts_dir, built_at)
    files = [path for paths_written in written.values() for path in paths_written]
    return dg.MaterializeResult(
        metadata={
            "extracts": dg.MetadataValue.md(
                "\n".join(
                    f"- {province} {year}: `{paths_written[0]}`"
                    for (province, year), paths_written in written.items()
                )
                or "(no province has an internal index yet)"
            ),
            "files": len(files),
            "directory": dg.MetadataValue.path(str(settings.extracts_dir)),
        }
    )


class ChasePeriod(dg.Config):
    period: str = Field(
        default="", description="Reporting period (2024-Q3); empty: the last one due before today."
    )


@dg.asset(
    deps=[published_warehouse, get_asset_key_for_model([cchc_dbt_models], "bi_report_compliance")],
    group_name=EXTRACTS_GROUP,
    owners=OWNERS,
    kinds={"excel"},
)
def chase_list(
    context: dg.AssetExecutionContext, config: ChasePeriod, settings: Settings
) -> dg.MaterializeResult:
    """Danh sách đôn đốc: the agencies that have not reported for a period, or did late, one sheet per
    province (extracts/don-doc/don-doc-<period>.xlsx), from the published copy."""
    now = datetime.now()
    with duckdb.connect(str(settings.published_path), read_only=True) as conn:
        period = config.period or last_due(conn, now.date())
        if period is None:
            return dg.MaterializeResult(metadata={"period": "none due yet"})
        path = write_chase_list(conn, period, settings.extracts_dir / "don-doc", now)
    context.log.info(f"chase list of {period}: {path}")
    return dg.MaterializeResult(metadata={"period": period, "path": dg.MetadataValue.path(str(path))})


@dg.asset(
    deps=[published_warehouse, get_asset_key_for_model([cchc_dbt_models], "bi_report_compliance")],
    group_name=EXTRACTS_GROUP,
    owners=OWNERS,
    kinds={"excel"},
)
def review_workbooks(
    context: dg.AssetExecutionContext, config: ChasePeriod, settings: Settings
) -> dg.MaterializeResult:
    """Phiếu xem xét: a province's reports for a period, each with its status, findings and jumps, for
    Sở Nội vụ to accept or return (extracts/xem-xet/xem-xet-<province>-<period>.xlsx; filled, they go
    into raw/reviews)."""
    now = datetime.now()
    with duckdb.connect(str(settings.published_path), read_only=True) as conn:
        period = config.period or last_due(conn, now.date())
        if period is None:
            return dg.MaterializeResult(metadata={"period": "none due yet"})
        paths = write_review_workbooks(conn, period, settings.extracts_dir / REVIEW_FOLDER, now)
    context.log.info(f"review workbooks of {period}: {len(paths)}")
    return dg.MaterializeResult(metadata={"period": period, "workbooks": len(paths)})


class FeedbackWindow(dg.Config):
    days: int = Field(
        default=60, description="Write the feedback of files received or reviewed in the last this many days."
    )


@dg.asset(
    deps=[
        published_warehouse,
        get_asset_key_for_model([cchc_dbt_models], "report_submissions"),
        get_asset_key_for_model([cchc_dbt_models], "self_assessment_files"),
        get_asset_key_for_model([cchc_dbt_models], "criterion_evidence_findings"),
    ],
    group_name=EXTRACTS_GROUP,
    owners=OWNERS,
    kinds={"excel"},
)
def feedback_workbooks(
    context: dg.AssetExecutionContext, config: FeedbackWindow, settings: Settings
) -> dg.MaterializeResult:
    """Phiếu phản hồi: one workbook per report file (received, counted or not, the review's decision,
    every finding with sheet and cell) and per self-assessment (the council's decision, what is wrong with
    its proof), written when it changed and e-mailed to the clerk when SMTP is set
    (extracts/phan-hoi/<period>/<agency>/, extracts/phan-hoi/<year>-tu-danh-gia/<agency>/)."""
    now = datetime.now()
    directory = settings.extracts_dir / FEEDBACK_FOLDER
    with duckdb.connect(str(settings.published_path), read_only=True) as conn:
        written, every = write_feedback(conn, directory, now, days=config.days)
        assessed, assessed_every = write_self_assessment_feedback(conn, directory, now, days=config.days)
    written, every = written + assessed, every + assessed_every
    sent, failed = send_feedback(written, os.environ)
    context.log.info(f"feedback workbooks: {len(written)} written, {sent} e-mailed, {len(every)} current")
    if failed:
        context.log.warning(f"feedback not e-mailed (see the log for why): {', '.join(failed)}")
    metadata = {"written": len(written), "emailed": sent, "email_failed": len(failed), "current": len(every)}
    return dg.MaterializeResult(metadata=metadata)
