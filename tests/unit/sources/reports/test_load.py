"""A batch of reports' rows as one frame a raw table, each file's a slice, as a worker sends them back."""

from datetime import date

import polars as pl

from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.sources.reports.load import batch_rows, row_tuples
from pipelines.sources.reports.read import read_report
from tests.unit.sources.reports.test_read import FORM


def test_a_batch_of_reports_gives_one_frame_a_table_and_each_file_its_slice(tmp_path):
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
    other = read_report(
        fill_report(
            template,
            tmp_path / "bao-cao-khac.xlsx",
            Filling(actuals={"staff_trained": 12}, statuses={"kh-300.md#17": ("Đang thực hiện", None)}),
        )
    )
    first, refused, second = batch_rows([row_tuples(reading), row_tuples(None), row_tuples(other)])
    indicators = first["report_indicator_values"]
    frame = indicators.frame  # one frame for the batch, each file's rows a slice of it
    assert second["report_indicator_values"].frame is frame and refused["report_task_status"].length == 0
    rows = len(FORM.indicators)
    assert (indicators.offset, indicators.length) == (0, rows)
    assert (refused["report_indicator_values"].offset, refused["report_indicator_values"].length) == (rows, 0)
    assert (second["report_indicator_values"].offset, second["report_indicator_values"].length) == (
        rows,
        rows,
    )
    assert frame.height == 2 * rows and set(frame["sheet_name"]) == {"Chỉ tiêu"}
    assert "source_file" not in frame.columns  # stamped by the ledger, from each file's record
    rate = frame.filter(pl.col("indicator_code") == "online_application_rate").row(0, named=True)
    assert (rate["actual_text"], rate["actual_cell"], rate["actual_value"], rate["row_number"]) == (
        "82,5 %",
        "F5",
        82.5,
        5,
    )
    trained = frame.filter(pl.col("indicator_code") == "staff_trained").row(0, named=True)
    assert (trained["actual_text"], trained["actual_value"]) == ("55", 55.0)
    tasks = first["report_task_status"].frame
    done = tasks.filter(pl.col("task_code") == "kh-300.md#17").row(0, named=True)
    assert (done["status_code"], done["completed_on"], done["sheet_name"]) == (
        "done",
        date(2024, 8, 30),
        "Nhiệm vụ",
    )
    # the second file's rows are its own, in both tables
    share = second["report_indicator_values"]
    theirs = share.frame.slice(share.offset, share.length)
    assert theirs.filter(pl.col("indicator_code") == "staff_trained")["actual_value"].to_list() == [12.0]
    tasks_of_second = second["report_task_status"]
    assert tasks_of_second.frame is tasks and tasks_of_second.offset == first["report_task_status"].length
    theirs = tasks.slice(tasks_of_second.offset, tasks_of_second.length)
    assert theirs.filter(pl.col("task_code") == "kh-300.md#17")["status_code"].to_list() == ["in_progress"]
    (nothing,) = batch_rows([row_tuples(None)])
    assert nothing["report_indicator_values"].frame.height == 0
    assert nothing["report_indicator_values"].frame.columns == frame.columns
