"""A logger that prints run progress a person can follow: one line per step that built assets, and each
failure.

`cchc run` selects it instead of Dagster's console logger, whose debug stream is for engineers. It
writes to the process's terminal (`sys.__stdout__`), so that `cchc run` can send everything else that
runs print (dbt's line per node) to a log file.
"""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg
from dagster._core.events import DagsterEventType  # the event types a Dagster logger receives


class _ProgressHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.started: dict[str, float] = {}
        self.built: dict[str, int] = {}
        self.checked: dict[str, int] = {}
        self.partitions: dict[str, str] = {}
        self.silenced = False

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None:
            return
        line = self._describe(event)
        if line and not self.silenced and sys.__stdout__ is not None:
            try:
                print(line, file=sys.__stdout__, flush=True)
            except (OSError, ValueError):  # a broken pipe, or a stream already closed
                # the reader went away (`cchc run | head`, a closed terminal): the run goes on unwatched
                self.silenced = True

    def _describe(self, event: dg.DagsterEvent) -> str | None:
        kind, step = event.event_type, event.step_key or ""
        if kind == DagsterEventType.STEP_START:
            self.started[step] = time.monotonic()
        elif kind == DagsterEventType.ASSET_MATERIALIZATION:
            self.built[step] = self.built.get(step, 0) + 1
            if partition := event.event_specific_data.materialization.partition:
                self.partitions[step] = partition
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed:
                on = evaluation.asset_key.to_user_string()
                if evaluation.severity == dg.AssetCheckSeverity.WARN:
                    return f"  ! check {evaluation.check_name} warns on {on}"
                return f"  ✗ check {evaluation.check_name} failed on {on}"
            self.checked[step] = self.checked.get(step, 0) + 1
        elif kind == DagsterEventType.STEP_SUCCESS:
            seconds = time.monotonic() - self.started.pop(step, time.monotonic())
            built, checks = self.built.pop(step, 0), self.checked.pop(step, 0)
            if not built:
                return None  # a quality check that passed: the run summary counts them
            partition = self.partitions.pop(step, None)
            return (
                f"  ✓ {step}"
                + (f" {partition}" if partition else "")
                + f": {built} assets"
                + (f", {checks} checks passed" if checks else "")
                + f" ({seconds:.1f} s)"
            )
        elif kind == DagsterEventType.STEP_FAILURE:
            error = event.event_specific_data.error
            return f"  ✗ {step} failed: {error.message.strip() if error else 'see the run log'}"
        return None


@dg.logger(description="One readable line per finished step, and each failure.")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("cchc.progress")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.handlers = [_ProgressHandler()]
    return logger
