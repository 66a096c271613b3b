"""The `cchc` command. Thin: each sub-command calls the modules that do the work."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from pipelines.settings import PROJECT_ROOT, RAW_ENV, WAREHOUSE_ENV, load_settings

app = typer.Typer(
    help="cchc-warehouse: build and inspect the CCHC (public administration reform) data warehouse.",
    no_args_is_help=True,
    add_completion=False,
)


bench_app = typer.Typer(
    help="A synthetic national workload, and the real pipeline timed over it beside the naive script "
    "a user would write and the read limit of the fastest xlsx reader."
)
app.add_typer(bench_app, name="bench")
extract_app = typer.Typer(help="Write the extracts leadership opens (into the warehouse's extracts folder).")
app.add_typer(extract_app, name="extract")
server_app = typer.Typer(
    help="The server deployment's PostgreSQL (Dagster's runs, event log and schedules): a cluster in "
    ".server/postgres, on a socket in that folder, no system service. `make server` starts it and the UI."
)
app.add_typer(server_app, name="server")


def _server_failed(error: Exception) -> NoReturn:
    typer.echo(f"PostgreSQL: {error}", err=True)
    raise typer.Exit(code=1) from error


@server_app.command("start")
def server_start() -> None:
    """Create the cluster and its database the first time, start it, and prepare the Dagster home
    (.server/dagster); print the two variables that point Dagster at them, as `export` lines."""
    import shlex

    from pipelines.orchestration.postgres import SERVER_DIR, PostgresUnavailable, prepare_home, server_cluster

    cluster = server_cluster()
    try:
        cluster.start()
    except PostgresUnavailable as error:
        _server_failed(error)
    typer.echo(f"PostgreSQL running in {cluster.folder}", err=True)
    for name, value in prepare_home(SERVER_DIR / "dagster", cluster).items():
        typer.echo(f"export {name}={shlex.quote(value)}")


@server_app.command("stop")
def server_stop() -> None:
    """Stop the cluster (its data stays in .server/postgres)."""
    from pipelines.orchestration.postgres import PostgresUnavailable, server_cluster

    try:
        server_cluster().stop()
    except PostgresUnavailable as error:
        _server_failed(error)
    typer.echo("PostgreSQL stopped")


@server_app.command("status")
def server_status() -> None:
    """Say whether the cluster runs; exit 1 when it does not."""
    from pipelines.orchestration.postgres import PostgresUnavailable, server_cluster

    cluster = server_cluster()
    try:
        running = cluster.is_running()
    except PostgresUnavailable as error:
        _server_failed(error)
    typer.echo(f"PostgreSQL {'running' if running else 'stopped'} in {cluster.folder}")
    raise typer.Exit(code=0 if running else 1)


@app.command()
def docs() -> None:
    """Write the dbt docs of the published warehouse as one page that opens from disk, offline
    (warehouse/dbt_docs/index.html); the Data Docs of the quality suites are at warehouse/data_docs/."""
    from pipelines.warehouse.docs import write_dbt_docs

    settings = load_settings()
    if not settings.published_path.exists():
        typer.echo("No published warehouse yet: run `make run` first.", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"dbt docs: {write_dbt_docs(settings)}")


@app.command()
def where() -> None:
    """Print where the warehouse, its published copy, raw files and extracts are."""
    settings = load_settings()
    typer.echo(f"warehouse (pipeline writes here):   {settings.warehouse_path}")
    typer.echo(f"published copy (BI tools read this): {settings.published_path}")
    typer.echo(f"quarantine list (files refused, why): {settings.quarantine_path}")
    typer.echo(f"raw files (drop documents here):    {settings.raw_dir}")
    typer.echo(f"extracts (leadership workbooks):    {settings.extracts_dir}")
    typer.echo(f"(set {WAREHOUSE_ENV} or {RAW_ENV} to move them)")


@app.command()
def digest(
    database: Annotated[
        Path | None, typer.Option(help="A warehouse file (default: the published copy).")
    ] = None,
) -> None:
    """Print a digest of every table (JSON, table → md5 of its rows without the columns that say when or
    by which code a file was read): compare two of them to see that a change of code changed no figure."""
    from pipelines.warehouse.digest import table_digests

    typer.echo(json.dumps(table_digests(database or load_settings().published_path), indent=1))


@app.command()
def run(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also print dbt's line per node (always in the log file).")
    ] = False,
    summary: Annotated[bool, typer.Option(help="End with the tables built and the files rejected.")] = True,
    full: Annotated[
        bool,
        typer.Option("--full", help="Build everything, not only what changed since the last publication."),
    ] = False,
) -> None:
    """Ingest new, changed or removed files from raw/, then build what they feed: the dbt models and
    tests downstream of the sources that changed, their quality suites, the published copy and the
    extracts (everything with --full, or when the project or the reference data changed).

    Runs are recorded in the Dagster instance under DAGSTER_HOME (default .dagster/), so they also
    appear in the Dagster UI (`make dev`).
    """
    from pipelines.startup import imports_uncollected

    with imports_uncollected():
        import dagster as dg

        from pipelines.definitions import defs
        from pipelines.orchestration.runs import run_pipeline
        from pipelines.quality.checks import describe_evaluations
        from pipelines.quality.worker import build_data_docs
        from pipelines.sources.registry import SOURCES
        from pipelines.warehouse.summary import FilesOf, describe_rejections, describe_tables

    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster"))
    settings = load_settings()
    settings.logs_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.logs_dir / "cchc-run.log"
    typer.echo(f"Building the warehouse at {settings.warehouse_path} (full log: {log_path})")
    terminal = sys.stdout
    with (
        log_path.open("w", encoding="utf-8") as log,
        contextlib.redirect_stdout(terminal if verbose else log),
        dg.DagsterInstance.get() as instance,
    ):
        results = run_pipeline(
            defs,
            instance,
            settings,
            full=full,
            run_config={"loggers": {"progress": {}}},
            echo=lambda line: typer.echo(line, file=terminal),
        )
        docs = build_data_docs(settings.warehouse_dir)
    typer.echo(describe_evaluations(results, str(docs)))
    failed = [result.run_id for result in results if not result.success]
    if summary and not failed:
        typer.echo(describe_tables(settings.published_path))
    if summary or failed:
        sources = [FilesOf(source.name, source.title, *source.files_mart) for source in SOURCES]
        typer.echo(describe_rejections(settings.quarantine_path, settings.published_path, sources))
    if failed:
        typer.echo(
            f"Runs {', '.join(failed)} failed; open them in the Dagster UI (make dev) for the full log. BI"
            f" tools keep the last good copy ({settings.published_path.name}); the quarantine list"
            f" ({settings.quarantine_path.name}) is current.",
            err=True,
        )
        raise typer.Exit(code=1)
    typer.echo(f"Warehouse: {settings.warehouse_path}\nBI tools:  {settings.published_path} (read-only)")


@app.command("parse-plan")
def parse_plan(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="A plan document (.pdf, .docx, .md, .txt).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print everything extracted as JSON.")] = False,
) -> None:
    """Show what the parser extracts from one plan document: metadata, targets, tasks."""
    import json

    from pipelines.formats.blocks import DocumentRejected
    from pipelines.sources.plans.parse import parse_plan as parse
    from pipelines.sources.plans.parse import render_text

    try:
        parsed = parse(file)
    except DocumentRejected as rejection:
        typer.echo(f"Rejected: {rejection.reason}", err=True)
        raise typer.Exit(code=2) from rejection
    summary = parsed.summary()
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    typer.echo(render_text(summary))


@app.command("parse-index")
def parse_index(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="A published index workbook (.xls, .xlsx) or a CSV of values."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print every row it would load as JSON.")] = False,
) -> None:
    """Show what the index reader loads from one file; warnings and labels that name no province go
    to stderr."""
    import json
    from collections import Counter

    from pipelines.sources.indices.parse import read_index_file
    from pipelines.sources.indices.scores import IndexFileRejected

    try:
        reading = read_index_file(file)
    except IndexFileRejected as rejection:
        typer.echo(f"Rejected: {rejection.reason}", err=True)
        raise typer.Exit(code=2) from rejection
    for warning in reading.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    for item in reading.unresolved:
        typer.echo(f"Not a province: {item.sheet}!{item.cell} {item.label!r}", err=True)
    if as_json:
        typer.echo(json.dumps([score.as_row() for score in reading.scores], ensure_ascii=False, indent=2))
        return
    counts = Counter((score.index_code, score.year) for score in reading.scores)
    typer.echo(f"{reading.source}: {len(reading.scores)} figures")
    for (index_code, year), count in sorted(counts.items()):
        places = {
            score.province_code
            for score in reading.scores
            if (score.index_code, score.year) == (index_code, year)
        }
        typer.echo(f"  {index_code} {year}: {count} figures, {len(places - {None})} provinces")


@app.command("check-report")
def check_report(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="A filled report workbook (.xlsx).")
    ],
) -> None:
    """Kiểm tra trước khi gửi: read a filled report as the pipeline would, write nothing, print every
    finding in Vietnamese with its sheet and cell; exit 1 when the file would be refused."""
    from pipelines.sources.reports.check import check_report as check

    result = check(file)
    typer.echo(result.render())
    if result.refused:
        raise typer.Exit(code=1)


def _published_warehouse():
    import duckdb

    settings = load_settings()
    if not settings.published_path.exists():
        typer.echo(
            "No warehouse yet: run `make run` first (templates are filled from the plans in it).", err=True
        )
        raise typer.Exit(code=1)
    return duckdb.connect(str(settings.published_path), read_only=True)


@app.command("chase-list")
def chase_list(
    period: Annotated[str, typer.Option(help="The reporting period, e.g. 2024-FY, 2024-Q3, 2024-H1.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder to write into (default warehouse/extracts/don-doc)."),
    ] = None,
) -> None:
    """Danh sách đôn đốc of any period, from the published copy: who has not reported or did late, with
    the latest reporter's name, phone and e-mail; printable on A4."""
    from datetime import datetime

    from pipelines.extracts.chase import write_chase_list

    settings = load_settings()
    with _published_warehouse() as conn:
        try:
            path = write_chase_list(conn, period, output or settings.extracts_dir / "don-doc", datetime.now())
        except ValueError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(code=2) from error
    typer.echo(str(path))


@app.command("review-workbook")
def review_workbook(
    period: Annotated[str, typer.Option(help="The reporting period, e.g. 2024-Q3.")],
    province: Annotated[str | None, typer.Option(help="One province (its key, e.g. dong_nai).")] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder to write into (default warehouse/extracts/xem-xet)."),
    ] = None,
) -> None:
    """Phiếu xem xét of a period, one per province, from the published copy: every report read, with its
    status, findings and jumps; fill "Kết quả xem xét" and "Lý do", then drop the file into raw/reviews."""
    from datetime import datetime

    from pipelines.extracts.review import FOLDER, write_review_workbooks

    settings = load_settings()
    with _published_warehouse() as conn:
        try:
            paths = write_review_workbooks(
                conn, period, output or settings.extracts_dir / FOLDER, datetime.now(), province
            )
        except ValueError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(code=2) from error
    for path in paths:
        typer.echo(str(path))


@app.command("self-assessment-template")
def self_assessment_template(
    agency: Annotated[str, typer.Option(help="The agency's key (cchc agencies finds it).")],
    year: Annotated[int, typer.Option(help="The year assessed, e.g. 2024.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder to write into (default warehouse/extracts/tu-danh-gia)."),
    ] = None,
) -> None:
    """Phiếu tự đánh giá Chỉ số CCHC of an agency for a year, from the published copy: every criterion of
    its set, the ones the data scores prefilled and locked; fill the rest with proof, then drop the file
    into raw/self_assessments."""
    from datetime import datetime

    from pipelines.extracts.self_assessment import FOLDER, write_self_assessment_template

    settings = load_settings()
    with _published_warehouse() as conn:
        try:
            path = write_self_assessment_template(
                conn, agency, year, output or settings.extracts_dir / FOLDER, datetime.now()
            )
        except ValueError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(code=2) from error
    typer.echo(str(path))


@app.command("appraisal-workbook")
def appraisal_workbook(
    province: Annotated[str, typer.Option(help="The province (its key, e.g. dong_nai).")],
    year: Annotated[int, typer.Option(help="The year assessed, e.g. 2024.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder to write into (default warehouse/extracts/tham-dinh)."),
    ] = None,
) -> None:
    """Phiếu thẩm định of a province's scoring round, from the published copy: every agency and criterion
    with the data's score, the agency's and its proof's findings; fill "Điểm thẩm định" and "Lý do" (and
    accept or return self-assessments), then drop the file into raw/appraisals."""
    from datetime import datetime

    from pipelines.extracts.appraisal import FOLDER, write_appraisal

    settings = load_settings()
    with _published_warehouse() as conn:
        try:
            path = write_appraisal(
                conn, province, year, output or settings.extracts_dir / FOLDER, datetime.now()
            )
        except ValueError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(code=2) from error
    typer.echo(str(path))


@app.command("round-results")
def round_results(
    province: Annotated[str, typer.Option(help="The province (its key, e.g. dong_nai).")],
    year: Annotated[int, typer.Option(help="The year assessed, e.g. 2024.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder to write into (default warehouse/extracts/ket-qua)."),
    ] = None,
) -> None:
    """Kết quả of a province's scoring round, from the published copy: the result workbook (ranking by
    level, largest adjustments, gaps in proof) and a scorecard per agency appraised."""
    from datetime import datetime

    from pipelines.extracts.round_results import FOLDER, write_round_results_for

    settings = load_settings()
    with _published_warehouse() as conn:
        try:
            paths = write_round_results_for(
                conn, province, year, output or settings.extracts_dir / FOLDER, datetime.now()
            )
        except ValueError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(code=2) from error
    for path in paths:
        typer.echo(str(path))


@app.command()
def feedback(
    agency: Annotated[str, typer.Option(help="The agency's key (cchc agencies finds it).")],
    period: Annotated[str | None, typer.Option(help="One reporting period, e.g. 2024-Q3.")] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder to write into (default warehouse/extracts/phan-hoi)."),
    ] = None,
) -> None:
    """Phiếu phản hồi of an agency's report files (of one period) and, without --period, of its
    self-assessments, from the published copy: written where missing or out of date, and listed: file,
    workbook."""
    from datetime import datetime

    from pipelines.extracts.feedback import FOLDER, write_feedback
    from pipelines.extracts.self_assessment_feedback import write_self_assessment_feedback

    settings = load_settings()
    directory, now = output or settings.extracts_dir / FOLDER, datetime.now()
    with _published_warehouse() as conn:
        _, every = write_feedback(conn, directory, now, agency=agency, period=period)
        if period is None:
            every += write_self_assessment_feedback(conn, directory, now, agency=agency)[1]
    if not every:
        typer.echo(f"No file of {agency}{' for ' + period if period else ''} in the published copy.")
        raise typer.Exit(code=1)
    for item in every:
        typer.echo(f"{item.source_file}\t{item.path}")


@app.command("report-template")
def report_template(
    period: Annotated[str, typer.Option(help="Reporting period: YEAR-Q1, YEAR-H1, YEAR-Q3 or YEAR-FY.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The .xlsx to write; with --all, the folder to write into.")
    ],
    agency: Annotated[
        str | None,
        typer.Option(help="Agency key, as in dim_agency (e.g. dong_nai.so_noi_vu); see `cchc agencies`."),
    ] = None,
    all_agencies: Annotated[
        bool,
        typer.Option("--all", help="One template per agency obliged to report for the period (--province)."),
    ] = False,
    province: Annotated[str | None, typer.Option(help="Province key for --all (e.g. dong_nai).")] = None,
) -> None:
    """Write the Excel template an agency fills for one period, prefilled with its targets and tasks, or
    (--all --province) one per agency obliged to report. Refused (exit 2, with the reason in Vietnamese):
    an unknown agency or period, a period whose reporting window has not opened, an agency with neither
    targets nor tasks, an -o that is not .xlsx (a folder, with --all)."""
    from datetime import date

    from pipelines.extracts.report_form import UnknownAgencyOrPeriod, report_form
    from pipelines.forms.report.template import write_template
    from pipelines.warehouse.periods import period as period_facts

    def refuse(reason: str) -> NoReturn:
        typer.echo(reason, err=True)
        raise typer.Exit(code=2)

    if all_agencies == (agency is not None) or (all_agencies and not province):
        refuse("Hãy cho --agency KEY, hoặc --all cùng --province KEY.")
    if not all_agencies and output.suffix.lower() != ".xlsx":
        refuse(
            f"Mẫu báo cáo là bảng tính Excel: hãy đặt tên tệp kết thúc bằng .xlsx"
            f" (không phải '{output.name}')."
        )
    if all_agencies and output.suffix:
        refuse(f"Với --all, -o là thư mục để ghi các mẫu (không phải tệp '{output.name}').")
    with _published_warehouse() as conn:
        opened = period_facts(conn, period)
        keys = (
            [agency]
            if agency
            else [
                key
                for (key,) in conn.execute(
                    "select distinct agency_key from bi.report_compliance"
                    " where period_key = ? and province_key = ? and is_expected order by 1",
                    [period, province],
                ).fetchall()
            ]
        )
        forms = []
        for key in keys:
            try:
                forms.append(report_form(conn, key, period))
            except UnknownAgencyOrPeriod as error:
                refuse(str(error))
    if opened is not None and opened.cutoff_start_on > date.today():
        refuse(
            f"Kỳ {opened.period_label_vi} chưa mở: số liệu của kỳ được nhận từ"
            f" {opened.cutoff_start_on:%d/%m/%Y}."
        )
    if all_agencies and not forms:
        refuse(f"Không có cơ quan nào của tỉnh '{province}' phải báo cáo kỳ {period}.")
    idle = [form for form in forms if not form.indicators and not form.tasks]
    if agency and idle:
        refuse(
            f"{idle[0].agency_name} không có chỉ tiêu hay nhiệm vụ nào cho {idle[0].period_label}: chưa có kế"
            " hoạch nào giao việc cho cơ quan này trong năm."
        )
    for form in forms:
        if form in idle:
            typer.echo(f"{form.agency_key}: no target or task for {form.period_key}, no template written")
            continue
        path = output if agency else output / f"mau-bao-cao_{form.agency_key}_{form.period_key}.xlsx"
        write_template(form, path)
        typer.echo(
            f"{path}: {len(form.indicators)} indicators, {len(form.tasks)} tasks for {form.agency_name}"
        )


@app.command()
def agencies(
    text: Annotated[str, typer.Argument(help="Part of a name or key, with or without diacritics.")] = "",
    limit: Annotated[int, typer.Option(help="How many to list.")] = 20,
) -> None:
    """List agency keys with their names, the closest matches to TEXT first (every agency without TEXT)."""
    from difflib import SequenceMatcher

    from pipelines.text.normalize import fold

    with _published_warehouse() as conn:
        rows = conn.execute(
            "select agency_key, agency_name_vi, agency_level_name_vi from main.dim_agency"
            " where is_current_version order by agency_key"
        ).fetchall()
    wanted = fold(text)

    def closeness(row: tuple[str, str, str]) -> float:
        key, name = row[0], fold(row[1])
        if not wanted:
            return 0.0
        contained = 1.0 if wanted in name or wanted in key else 0.0
        return contained + SequenceMatcher(None, wanted, name).ratio()

    for key, name, level in sorted(rows, key=lambda row: -closeness(row))[:limit]:
        typer.echo(f"{key:<58} {name} ({level})")


@app.command("demo-reports")
def demo_reports(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Folder to write to (default raw/reports/demo).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed writes the same reports.")] = 2024,
) -> None:
    """Write filled sample reports (with resubmissions and broken files) for the sample agencies."""
    from pipelines.bench.demo import write_demo_reports

    directory = output or load_settings().raw_dir / "reports" / "demo"
    with _published_warehouse() as conn:
        written = write_demo_reports(conn, directory, seed)
    typer.echo(f"{len(written)} demo report files written under {directory}")


@app.command()
def check() -> None:
    """Run every Great Expectations suite in expectations/ on the current warehouse; exit 1 if any fails.
    Results are browsable as Data Docs in the warehouse folder (data_docs/index.html)."""
    import duckdb

    from pipelines.quality.batch import previous_row_count
    from pipelines.quality.context import build_data_docs
    from pipelines.quality.suites import all_suites
    from pipelines.quality.validate import run_suite

    settings = load_settings()
    if not settings.warehouse_path.exists():
        typer.echo("No warehouse yet: run `make run` first.", err=True)
        raise typer.Exit(code=1)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        results = [
            run_suite(
                settings.warehouse_dir, conn, suite, previous_row_count(settings.published_path, suite.table)
            )
            for suite in all_suites()
        ]
    for result in results:
        typer.echo(result.describe())
    failed = [result.suite.name for result in results if not result.success]
    typer.echo(
        f"\n{len(results) - len(failed)}/{len(results)} suites passed. Data Docs: "
        f"{build_data_docs(settings.warehouse_dir)}"
    )
    if failed:
        raise typer.Exit(code=1)


@extract_app.command("par-trend")
def extract_par_trend(
    year: Annotated[int, typer.Option(help="The year to rank (e.g. 2024); the trend runs up to it.")],
    province: Annotated[
        str | None, typer.Option(help="Province key (e.g. dong_nai); default: every province with an index.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Folder to write into (default warehouse/extracts).")
    ] = None,
) -> None:
    """The PAR Index trend: a workbook (summary, trend, fields, targets, method), PNG charts and a CSV."""
    from datetime import datetime

    from pipelines.extracts.data import ExtractUnavailable
    from pipelines.extracts.export import write_par_trends

    settings = load_settings()
    with _published_warehouse() as conn:
        built_at = datetime.fromtimestamp(settings.published_path.stat().st_mtime)
        try:
            written = write_par_trends(
                conn, output or settings.extracts_dir, built_at, year=year, province=province
            )
        except ExtractUnavailable as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(code=2) from error
    for (key, report_year), paths in written.items():
        typer.echo(f"{key} {report_year}:")
        for path in paths:
            typer.echo(f"  {path}")


if __name__ == "__main__":
    app()


@bench_app.command("generate")
def bench_generate(
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder to write (emptied first).")],
    agencies: Annotated[
        int, typer.Option(help="Agencies in the synthetic roster (34 provinces at most).")
    ] = 3500,
    years: Annotated[int, typer.Option(help="Reporting years, four reports each, ending last year.")] = 3,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed writes the same files.")] = 1,
) -> None:
    """Write a synthetic national workload: roster and seeds, filled reports in the real template."""
    import time

    from pipelines.bench.workload import generate

    start = time.perf_counter()
    described = generate(out, agencies, years, seed)
    typer.echo(
        f"Wrote {described['report_files']} report files from {described['agencies']} agencies in "
        f"{described['provinces']} provinces ({', '.join(map(str, described['years']))}) to {out} "
        f"in {time.perf_counter() - start:.0f} s (synthetic data: never mix it with real reports)."
    )


def _print_figures(figures: dict, as_json: bool) -> None:
    import json

    if as_json:
        typer.echo(json.dumps(figures))
        return
    for name, value in figures.items():
        if isinstance(value, dict):
            typer.echo(f"{name}:")
            for inner, figure in value.items():
                typer.echo(f"  {inner:<30} {figure}")
        else:
            typer.echo(f"{name:<32} {value}")


@bench_app.command("run")
def bench_run(
    workload: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="A generated workload.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    baseline_files: Annotated[
        int, typer.Option(help="Files the naive baseline reads (an even sample).")
    ] = 500,
) -> None:
    """Build the workload's warehouse from nothing with the real pipeline, timing each stage, then time
    the naive baseline and the read limit on the same files."""
    from pipelines.bench.run import full_run

    workload = workload.resolve()
    figures = full_run(workload, baseline_files=baseline_files, log=workload / "bench-run.log")
    _print_figures(figures, as_json)
    if not figures["runs_succeeded"]:
        raise typer.Exit(code=1)


@bench_app.command("incremental")
def bench_incremental(
    workload: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="A workload `bench run` built.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Add one report to the built workload and time it until it is checked and published."""
    from pipelines.bench.run import incremental_run

    workload = workload.resolve()
    figures = incremental_run(workload, baseline_files=1, log=workload / "bench-incremental.log")
    _print_figures(figures, as_json)
    if not figures["runs_succeeded"]:
        raise typer.Exit(code=1)


@bench_app.command("events")
def bench_events(
    events: Annotated[int, typer.Option(help="Events stored on each storage.")] = 500,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Time storing an event in Dagster's instance on SQLite (`make dev`, `cchc run`) and on PostgreSQL
    (the server deployment; a cluster of its own, started and removed)."""
    from pipelines.bench.events import per_event_costs

    _print_figures(per_event_costs(events), as_json)
