"""The statutory calendar runs by itself: the day after each report's due date, in Vietnam's time, a
run that writes that period's chase list; the dates come from the report_kinds seed."""

import os
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
from dagster._utils.schedules import cron_string_iterator  # the iterator Dagster's scheduler ticks by

from pipelines.definitions import defs
from pipelines.orchestration.automation import (
    BUILD_JOB,
    TIMEZONE,
    after_report_due_date,
    nightly_build,
    statutory_crons,
)
from pipelines.text.periods import days_after_due, period_due_before

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_statutory_ticks_are_the_days_after_the_due_dates_in_vietnam():
    assert days_after_due() == {21: [3, 6, 9, 12]}  # reports are due on the 20th (report_kinds seed)
    assert statutory_crons() == ["0 6 21 3,6,9,12 *"]
    assert after_report_due_date.execution_timezone == TIMEZONE == "Asia/Ho_Chi_Minh"
    assert after_report_due_date.cron_schedule == "0 6 21 3,6,9,12 *"
    after = datetime(2024, 9, 20, 23, 59, tzinfo=VIETNAM).timestamp()  # 16:59 UTC
    (cron,) = statutory_crons()
    tick = next(cron_string_iterator(after, cron, TIMEZONE))
    assert tick == datetime(2024, 9, 21, 6, 0, tzinfo=VIETNAM)
    assert tick.utcoffset().total_seconds() == 7 * 3600


def test_a_tick_asks_for_the_build_that_writes_that_periods_chase_list_and_review_workbooks():
    tick = datetime(2024, 9, 21, 6, 0, tzinfo=VIETNAM)
    request = after_report_due_date(dg.build_schedule_context(scheduled_execution_time=tick))
    assert isinstance(request, dg.RunRequest)
    assert request.run_config == {
        "ops": {
            "chase_list": {"config": {"period": "2024-Q3"}},
            "review_workbooks": {"config": {"period": "2024-Q3"}},
        }
    }
    assert request.run_key == "statutory-2024-Q3" and request.tags["cchc/period"] == "2024-Q3"
    assert after_report_due_date.job_name == BUILD_JOB
    job = defs.resolve_job_def(BUILD_JOB)
    assert {"chase_list", "review_workbooks", "par_trend_extracts", "published_warehouse"} <= {
        key.to_user_string() for key in job.asset_layer.executable_asset_keys
    }
    # the annual report's tick: the year's PAR trend comes with the same full build
    december = after_report_due_date(
        dg.build_schedule_context(scheduled_execution_time=tick.replace(month=12))
    )
    assert december.run_config["ops"]["chase_list"]["config"]["period"] == "2024-FY"


def test_periods_due_the_day_before():
    assert period_due_before(datetime(2025, 3, 21).date()) == "2025-Q1"
    assert period_due_before(datetime(2025, 6, 21).date()) == "2025-H1"
    assert period_due_before(datetime(2025, 6, 22).date()) is None


def test_schedules_and_file_sensors_are_on_by_default():
    repository = defs.get_repository_def()
    for schedule in (after_report_due_date, nightly_build):
        assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    for name in (
        "plan_files_sensor",
        "report_files_sensor",
        "index_files_sensor",
        "build_after_ingestion",
        "free_dead_writer_slots",
        "alert_on_failure",
    ):
        assert repository.get_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING


def test_with_automation_off_every_schedule_and_sensor_starts_stopped_and_says_what_it_does():
    """An operator opens the UI with CCHC_AUTOMATION=off: nothing starts until they turn it on."""
    script = (
        "from pipelines.definitions import defs\n"
        "for s in defs.schedules: print('schedule', s.name, s.default_status.value, bool(s.description))\n"
        "for s in defs.sensors: print('sensor', s.name, s.default_status.value, bool(s.description))\n"
    )
    environment = {**os.environ, "CCHC_AUTOMATION": "off"}
    printed = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, env=environment
    ).stdout.splitlines()
    assert len(printed) == 11  # two schedules; a sensor per source, the build, the writer slot, the alerts
    assert {line.split()[2] for line in printed} == {"STOPPED"}
    assert {line.split()[3] for line in printed} == {"True"}
