"""Failure is heard: every failed run is written to `warehouse/alerts.log` (job, run, steps, errors, the
files involved) and, when SMTP settings are in the environment, e-mailed.

Environment: the SMTP settings of `pipelines.mail`, and CCHC_ALERT_TO (addresses separated by
commas). The log line is written first: a mail server that is down never hides a failure.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime

import dagster as dg

from pipelines import mail
from pipelines.landing.source import one_run_per_file
from pipelines.settings import Settings, sensor_status
from pipelines.sources.registry import SOURCES


def _files(run: dg.DagsterRun) -> list[str]:
    """The raw files an ingestion run (job `ingest_<source>`) was handed to load or forget; for a run
    launched by hand of a source read a file a run, its partition's file."""
    source = next((source for source in SOURCES if source.job.name == run.job_name), None)
    if source is None:
        return []
    configs = [op.get("config", {}) for op in (run.run_config or {}).get("ops", {}).values()]
    # a run launched by hand may have been given anything (RunFiles refuses it when the run starts):
    # only the names in lists are files
    names = [
        name
        for config in configs
        for listed in (config.get("load"), config.get("forget"))
        if isinstance(listed, list)
        for name in listed
        if isinstance(name, str)
    ]
    partition = run.tags.get("dagster/partition")
    if not names and partition and source.group is one_run_per_file:
        names = [partition]
    return [f"raw/{source.name}/{name}" for name in names]


def describe_failure(run: dg.DagsterRun, failures: list[tuple[str, str]]) -> str:
    """The failure in plain text: job, run, partition, each failed step with its error, the files."""
    lines = [
        f"Run {run.run_id} of job {run.job_name} failed at {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC.",
    ]
    if partition := run.tags.get("dagster/partition"):
        lines.append(f"Partition: {partition}")
    lines += [f"Step {step}: {error}" for step, error in failures] or ["No step failed: the run itself did."]
    if files := _files(run):
        lines.append("Files: " + ", ".join(files))
    return "\n".join(lines)


def send_mail(subject: str, body: str, environment: Mapping[str, str]) -> bool:
    """E-mail the alert to CCHC_ALERT_TO when an SMTP host is configured; False when none is."""
    return mail.send(subject, body, environment.get("CCHC_ALERT_TO", "root@localhost"), environment)


def _error(event: dg.DagsterEvent) -> str:
    """The error that made a step fail, not Dagster's wrapper around it."""
    error = event.event_specific_data.error if event.event_specific_data else None
    while error is not None and error.cause is not None:
        error = error.cause
    return error.message.strip() if error is not None else ""


@dg.run_failure_sensor(
    default_status=sensor_status(),
    monitor_all_code_locations=False,
    description=(
        "Every failed run is written to warehouse/alerts.log (job, steps, errors, files) and e-mailed "
        "when CCHC_SMTP_HOST is set."
    ),
)
def alert_on_failure(context: dg.RunFailureSensorContext, settings: Settings) -> None:
    """Write every failed run to warehouse/alerts.log, and e-mail it when SMTP is configured."""
    run = context.dagster_run
    failures = [(event.step_key or "?", _error(event)) for event in context.get_step_failure_events()]
    text = describe_failure(run, failures)
    settings.alerts_log.parent.mkdir(parents=True, exist_ok=True)
    with settings.alerts_log.open("a", encoding="utf-8") as log:
        log.write(text + "\n\n")
    if send_mail(f"[cchc-warehouse] {run.job_name} failed", text, os.environ):
        context.log.info(f"alert for run {run.run_id} e-mailed")
