"""A logger that prints run progress a person can follow: one line per step, asset and failure.

`cchc run` selects it instead of Dagster's console logger, whose debug stream is for engineers.
"""

from __future__ import annotations

import logging
import sys

import dagster as dg
from dagster._core.events import DagsterEventType  # the event types a Dagster logger receives


class _ProgressHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.checks_passed = 0

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None:
            return
        line = self._describe(event)
        if line:
            print(line, file=sys.stdout, flush=True)

    def _describe(self, event: dg.DagsterEvent) -> str | None:
        kind = event.event_type
        if kind == DagsterEventType.STEP_START:
            return f"▶ {event.step_key}"
        if kind == DagsterEventType.ASSET_MATERIALIZATION:
            return f"  ✓ built {event.asset_key.to_user_string()}"
        if kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if evaluation.passed:
                self.checks_passed += 1
                return None
            return f"  ✗ check {evaluation.check_name} failed on {evaluation.asset_key.to_user_string()}"
        if kind == DagsterEventType.STEP_SUCCESS:
            checks, self.checks_passed = self.checks_passed, 0
            return f"  done {event.step_key}" + (f" ({checks} checks passed)" if checks else "")
        if kind == DagsterEventType.STEP_FAILURE:
            error = event.event_specific_data.error
            return f"  ✗ {event.step_key} failed: {error.message.strip() if error else 'see the run log'}"
        return None


@dg.logger(description="One readable line per step, built asset and failed check.")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("cchc.progress")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.handlers = [_ProgressHandler()]
    return logger
