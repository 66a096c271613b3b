"""The sensor that builds after each ingestion run asks for what the run fed, and for nothing when
nothing changed since the last publication: unattended, a new report costs what it changed."""

from __future__ import annotations

import os

import dagster as dg
import duckdb
import psycopg2

from pipelines.definitions import build_definitions
from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.orchestration.automation import BUILD_JOB, build_after_ingestion
from pipelines.orchestration.postgres import prepare_home
from pipelines.orchestration.recovery import PROCESS_TAG, this_process
from pipelines.orchestration.runs import ingest, pending_work
from pipelines.sources.reports.assets import SOURCE as REPORTS
from tests.integration.conftest import received


def _evaluate(defs: dg.Definitions, instance: dg.DagsterInstance, result: dg.ExecutionResult, settings):
    context = dg.build_run_status_sensor_context(
        sensor_name=build_after_ingestion.name,
        dagster_event=result.get_run_success_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources={"settings": settings},
        repository_def=defs.get_repository_def(),
    )
    return build_after_ingestion(context)


def reports_job() -> dg.JobDefinition:
    """The reports' ingestion job as a run worker loads it: from the definitions of the environment's
    settings (the `fork` fixture points them at its copy)."""
    return build_definitions().resolve_job_def(REPORTS.job.name)


def build_job() -> dg.JobDefinition:
    return build_definitions().resolve_job_def(BUILD_JOB)


def _step_processes(result: dg.ExecutionResult) -> set[int | None]:
    """The processes the run's steps ran in."""
    return {event.pid for event in result.all_events if event.is_step_start}


def test_the_build_sensor_asks_for_what_an_ingestion_run_fed(fork, tmp_path):
    defs = build_definitions(fork)
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        form = report_form(conn, "dong_nai.so_noi_vu", "2024-Q3")
    rate = next(line for line in form.indicators if line.is_rate)
    with dg.DagsterInstance.ephemeral() as instance:
        # a run that found nothing to load (its period's files were all loaded already)
        instance.add_dynamic_partitions(REPORTS.partitions.name, ["2024-Q3"])
        nothing = defs.resolve_job_def(REPORTS.job.name).execute_in_process(
            instance=instance, partition_key="2024-Q3", run_config=REPORTS.run_config({})
        )
        assert isinstance(_evaluate(defs, instance, nothing, fork), dg.SkipReason)

        fill_report(
            write_template(form, tmp_path / "q3.xlsx"),
            fork.reports_dir / "so-noi-vu-q3.xlsx",
            Filling(actuals={rate.code: 71.5}),
        )
        (report_run,) = ingest(defs, instance, pending_work(fork))
        assert report_run.success
        request = _evaluate(defs, instance, report_run, fork)
    assert isinstance(request, dg.RunRequest)
    asked = {"/".join(key.path) for key in request.asset_selection}
    assert {"main/fact_report_submission", "main/fact_target_progress", "published_warehouse"} <= asked
    assert "staging/stg_plans__targets" not in asked and "main/fact_index_score" not in asked


def test_a_report_dropped_in_reaches_the_published_copy_by_the_sensors_alone(
    fork, tmp_path, postgres, monkeypatch
):
    """The unattended path of the server deployment: the file sensor asks for the period's ingestion
    run, the build sensor for the build that follows it; each request is run as the daemon's run worker
    runs it (every step in the run's one process), nobody else acts, and Dagster keeps the runs and
    their events in PostgreSQL (deploy/dagster.yaml on a real server, as `cchc server start` prepares
    it)."""
    for name, value in prepare_home(tmp_path / "dagster", postgres).items():
        monkeypatch.setenv(name, value)
    defs = build_definitions(fork)
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        form = report_form(conn, "dong_nai.so_tu_phap", "2024-Q3")
        before = conn.execute("select count(*) from pipeline.publications").fetchone()[0]
    rate = next(line for line in form.indicators if line.is_rate)
    filled = fill_report(
        write_template(form, tmp_path / "q3.xlsx"),
        fork.reports_dir / "so-tu-phap-q3.xlsx",
        Filling(actuals={rate.code: "77,5 %"}),
    )
    received(filled, "2024-09-19T08:00")
    with dg.DagsterInstance.get() as instance:
        asked = REPORTS.sensor(dg.build_sensor_context(instance=instance, resources={"settings": fork}))
        (request,) = asked.run_requests
        for added in asked.dynamic_partitions_requests:
            instance.add_dynamic_partitions(added.partitions_def_name, list(added.partition_keys))
        # executed as the run worker the daemon launches executes them: a reconstructable job, its
        # executor; every step in this one process, none starting Python, the definitions and GX again
        ingestion = dg.execute_job(
            dg.reconstructable(reports_job),
            instance,
            run_config=request.run_config,
            tags={"dagster/partition": request.partition_key},
        )
        assert ingestion.success
        assert _step_processes(ingestion) == {os.getpid()}
        build = _evaluate(defs, instance, ingestion, fork)
        assert isinstance(build, dg.RunRequest)
        built = dg.execute_job(dg.reconstructable(build_job), instance, asset_selection=build.asset_selection)
        assert built.success
        assert _step_processes(built) == {os.getpid()}
        # each run says which process it ran in: one killed with its code server is found (recovery.py)
        for run in (ingestion, built):
            assert instance.get_run_by_id(run.run_id).tags[PROCESS_TAG] == this_process()[PROCESS_TAG]
        # nothing left for the sensor: a second evaluation asks for no run
        again = REPORTS.sensor(dg.build_sensor_context(instance=instance, resources={"settings": fork}))
    assert again.run_requests == []
    with psycopg2.connect(postgres.url) as server, server.cursor() as cursor:
        cursor.execute(
            "select pipeline_name, status from runs where run_id in (%s, %s) order by create_timestamp",
            (ingestion.run_id, built.run_id),
        )
        assert cursor.fetchall() == [(REPORTS.job.name, "SUCCESS"), (BUILD_JOB, "SUCCESS")]
        cursor.execute("select count(*) from event_logs where run_id = %s", (built.run_id,))
        assert cursor.fetchone()[0] > 100  # a dbt node, a check, a step: each an event on the server
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        assert conn.execute("select count(*) from pipeline.publications").fetchone()[0] == before + 1
        (value,) = conn.execute(
            "select actual_value from main.report_indicator_values"
            " where source_file = 'so-tu-phap-q3.xlsx' and indicator_code = ? and is_counted",
            [rate.code],
        ).fetchone()
    assert value == 77.5
