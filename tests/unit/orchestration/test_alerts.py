"""A failed run is heard: written to warehouse/alerts.log and, with SMTP settings, e-mailed (to a real
SMTP server on 127.0.0.1 here: tests/conftest.py)."""

import dagster as dg

from pipelines.orchestration.alerts import alert_on_failure, describe_failure
from pipelines.settings import Settings


@dg.op(config_schema={"planned": bool, "load": [str], "forget": [str]})
def _read_the_file() -> None:
    raise ValueError("Trang 'Chỉ tiêu' không đọc được")


@dg.job
def ingest_plans() -> None:  # named as the real job, handed its files as the real one is
    _read_the_file()


def _handed(*files: str) -> dict:
    return {"ops": {"_read_the_file": {"config": {"planned": True, "load": list(files), "forget": []}}}}


def _alert(result: dg.ExecuteInProcessResult, instance: dg.DagsterInstance, settings: Settings) -> None:
    """Evaluate the failure sensor on a failed run, as the daemon does."""
    context = dg.build_run_status_sensor_context(
        sensor_name=alert_on_failure.name,
        dagster_event=result.get_run_failure_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources={"settings": settings},
    ).for_run_failure()
    alert_on_failure(context)


def test_a_failed_run_is_logged_and_e_mailed_with_its_step_error_and_file(tmp_path, monkeypatch, smtp_inbox):
    monkeypatch.setenv("CCHC_ALERT_TO", "so-noi-vu@example.vn")
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    with dg.instance_for_test() as instance:
        result = ingest_plans.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=_handed("kh-300.md"),
            tags={"dagster/partition": "kh-300.md"},
        )
        assert not result.success
        _alert(result, instance, settings)
    logged = settings.alerts_log.read_text(encoding="utf-8")
    assert f"Run {result.run_id} of job ingest_plans failed" in logged
    assert "Step _read_the_file: ValueError: Trang 'Chỉ tiêu' không đọc được" in logged
    assert "Files: raw/plans/kh-300.md" in logged
    (message,) = smtp_inbox.messages
    assert message["Subject"] == "[cchc-warehouse] ingest_plans failed"
    assert message["To"] == "so-noi-vu@example.vn"
    assert message.get_payload(decode=True).decode().replace("\r\n", "\n").strip() == logged.strip()


def test_without_smtp_settings_the_failure_is_still_logged(tmp_path, monkeypatch):
    monkeypatch.delenv("CCHC_SMTP_HOST", raising=False)
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "raw")
    with dg.instance_for_test() as instance:
        failed = ingest_plans.execute_in_process(
            instance=instance, raise_on_error=False, run_config=_handed()
        )
        _alert(failed, instance, settings)
    assert "ValueError" in settings.alerts_log.read_text(encoding="utf-8")


def test_the_alert_names_the_files_of_a_run_by_its_source():
    """A plan run launched by hand names its partition's file; a report run the files it was handed,
    to load and to forget; the build names none."""
    by_hand = dg.DagsterRun(job_name="ingest_plans", tags={"dagster/partition": "kh-300.md"})
    handed = dg.DagsterRun(
        job_name="ingest_reports",
        tags={"dagster/partition": "2024-Q3"},
        run_config={"ops": {"report_tables": {"config": {"load": ["q3/a.xlsx"], "forget": ["b.xlsx"]}}}},
    )
    assert "Files: raw/plans/kh-300.md" in describe_failure(by_hand, [])
    assert "Files: raw/reports/q3/a.xlsx, raw/reports/b.xlsx" in describe_failure(handed, [])
    assert "Files:" not in describe_failure(dg.DagsterRun(job_name="build_warehouse"), [])


def test_a_run_handed_files_in_a_wrong_form_is_still_described():
    """A run launched by hand with `load` not a list (Dagster takes it; RunFiles refuses it when the run
    starts) fails, and its alert says so: only the names in lists are named as files."""

    def described(load, forget) -> str:
        config = {"ops": {"report_tables": {"config": {"load": load, "forget": forget}}}}
        run = dg.DagsterRun(
            job_name="ingest_reports", tags={"dagster/partition": "2024-Q3"}, run_config=config
        )
        return describe_failure(run, [("report_tables", "ValidationError")])

    assert "Files:" not in described(7, None)
    assert "Files:" not in described("a.xlsx", {"b.xlsx": None})
    assert "Files: raw/reports/a.xlsx\n" in described(["a.xlsx", 7], "gone.xlsx") + "\n"
