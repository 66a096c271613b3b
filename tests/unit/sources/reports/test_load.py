"""A report's rows as the columns of its raw tables, as a worker sends them back to the run."""

import pickle
from datetime import date

from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.sources.reports.load import value_columns
from pipelines.sources.reports.read import read_report
from tests.unit.sources.reports.test_read import FORM


def test_two_files_give_their_rows_as_columns_each_recurring_text_one_object(tmp_path):
    template = write_template(FORM, tmp_path / "mau.xlsx")
    first = read_report(
        fill_report(
            template,
            tmp_path / "a.xlsx",
            Filling(actuals={"online_application_rate": "82,5 %", "staff_trained": 55}),
        )
    )
    second = read_report(
        fill_report(
            template,
            tmp_path / "b.xlsx",
            Filling(
                actuals={"online_application_rate": "82,5 %", "staff_trained": 55},
                statuses={"kh-300.md#17": ("Hoàn thành", date(2024, 8, 30))},
            ),
        )
    )
    columns = [value_columns(reading)["report_indicator_values"] for reading in (first, second)]
    for reading in (first, second):
        indicators = value_columns(reading)["report_indicator_values"]
        rate = indicators["indicator_code"].index("online_application_rate")
        assert (indicators["actual_text"][rate], indicators["actual_cell"][rate]) == ("82,5 %", "F5")
        assert indicators["actual_value"][rate] == 82.5 and indicators["row_number"][rate] == 5
        tasks = value_columns(reading)["report_task_status"]
        assert tasks["task_code"] == [task.task_code for task in reading.tasks]
    done = value_columns(second)["report_task_status"]
    assert done["status_code"][done["task_code"].index("kh-300.md#17")] == "done"
    # the same code, cell and figure in both files is one object: a worker pickles it once for a chunk
    # of files, and the run unpickles it once (short texts typed in cells are shared by the workbook
    # reader already; cell addresses and numbers as text are made anew for each file)
    for name in ("indicator_code", "actual_cell", "actual_text"):
        assert all(a is b for a, b in zip(columns[0][name], columns[1][name], strict=True)), name
    tasks = [value_columns(reading)["report_task_status"] for reading in (first, second)]
    for name in ("task_code", "stt", "status_cell"):
        assert tasks[0][name] and all(a is b for a, b in zip(tasks[0][name], tasks[1][name], strict=True)), (
            name
        )
    both = pickle.loads(pickle.dumps(columns))
    assert both[0]["actual_cell"][0] is both[1]["actual_cell"][0]
