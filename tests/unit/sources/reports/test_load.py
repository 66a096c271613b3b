"""A report's rows as the columns of its raw tables, as a worker sends them back to the run."""

from datetime import date

from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.sources.reports.load import value_columns
from pipelines.sources.reports.read import read_report
from tests.unit.sources.reports.test_read import FORM


def test_a_report_gives_its_rows_as_columns_one_value_a_row(tmp_path):
    template = write_template(FORM, tmp_path / "mau.xlsx")
    reading = read_report(
        fill_report(
            template,
            tmp_path / "bao-cao.xlsx",
            Filling(
                actuals={"online_application_rate": "82,5 %", "staff_trained": 55},
                statuses={"kh-300.md#17": ("Hoàn thành", date(2024, 8, 30))},
            ),
        )
    )
    columns = value_columns(reading)
    indicators, tasks = columns["report_indicator_values"], columns["report_task_status"]
    assert {len(column) for column in indicators.values()} == {len(FORM.indicators)}
    assert set(indicators["sheet_name"]) == {"Chỉ tiêu"}
    rate = indicators["indicator_code"].index("online_application_rate")
    assert (indicators["actual_text"][rate], indicators["actual_cell"][rate]) == ("82,5 %", "F5")
    assert (indicators["actual_value"][rate], indicators["row_number"][rate]) == (82.5, 5)
    trained = indicators["indicator_code"].index("staff_trained")
    assert (indicators["actual_text"][trained], indicators["actual_value"][trained]) == ("55", 55.0)
    done = tasks["task_code"].index("kh-300.md#17")
    assert (tasks["status_code"][done], tasks["completed_on"][done]) == ("done", date(2024, 8, 30))
    assert value_columns(None) == {
        "report_indicator_values": {name: [] for name in indicators},
        "report_task_status": {name: [] for name in tasks},
    }
