"""Report templates are written, filled the way clerks fill them, and read back by their labels."""

import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from pipelines.forms.report import layout
from pipelines.forms.report.fill import Filling, fill_report, input_cells
from pipelines.forms.report.template import IndicatorLine, ReportForm, TaskLine, write_template
from pipelines.landing.faults import READER_FAULT
from pipelines.sources.reports import read
from pipelines.sources.reports.read import FLAGGED, MISSING, REJECTED, ReportRejected, read_report
from tests import FIXTURES_DIR

FIXTURES = FIXTURES_DIR

FORM = ReportForm(
    agency_key="dong_nai.so_noi_vu",
    agency_name="Sở Nội vụ tỉnh Đồng Nai",
    period_key="2024-Q3",
    period_label="Quý III/2024",
    indicators=(
        IndicatorLine(
            "online_application_rate",
            "Tỷ lệ hồ sơ trực tuyến",
            "percent",
            80.0,
            ">=",
            True,
            "300/KH-UBND",
            "kh-300.md#5",
            "Cải cách thủ tục hành chính",
        ),
        IndicatorLine(
            "tthc_on_time_rate",
            "Tỷ lệ hồ sơ đúng hạn",
            "percent",
            97.0,
            ">=",
            True,
            "300/KH-UBND",
            "kh-300.md#9",
            "Cải cách thủ tục hành chính",
        ),
        IndicatorLine(
            "staff_trained",
            "Tỷ lệ cán bộ được bồi dưỡng",
            "percent",
            50.0,
            None,
            False,
            "300/KH-UBND",
            "kh-300.md#20",
            "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
        ),
    ),
    tasks=(
        TaskLine(
            "kh-300.md#17",
            "2.2",
            "Tổ chức khảo sát ý kiến người dân",
            "Thường xuyên",
            output="Báo cáo kết quả khảo sát",
            plan="300/KH-UBND",
            section="II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
        ),
        TaskLine(
            "kh-300.md#41",
            "4",
            "Tập huấn nghiệp vụ cải cách hành chính",
            "Quý II/2024",
            plan="300/KH-UBND",
            section="V. CẢI CÁCH CHẾ ĐỘ CÔNG VỤ",
        ),
    ),
)


@pytest.fixture()
def template(tmp_path) -> Path:
    return write_template(FORM, tmp_path / "mau.xlsx")


def _filled(template: Path, tmp_path: Path, name: str = "so-noi-vu.xlsx", **fields) -> Path:
    return fill_report(template, tmp_path / name, Filling(**fields))


def test_template_sheets_protection_validation_and_hidden_block(template):
    workbook = openpyxl.load_workbook(template)
    assert workbook.sheetnames == [
        layout.INSTRUCTIONS_SHEET,
        layout.GENERAL_SHEET,
        layout.INDICATORS_SHEET,
        layout.TASKS_SHEET,
        layout.META_SHEET,
    ]
    assert workbook[layout.META_SHEET].sheet_state == "veryHidden"
    assert workbook.security.lockStructure  # sheets cannot be renamed, deleted or unhidden
    assert 'lockStructure="1"' in zipfile.ZipFile(template).read("xl/workbook.xml").decode()
    indicators = workbook[layout.INDICATORS_SHEET]
    assert indicators.protection.sheet
    assert indicators.freeze_panes == "D4"
    assert indicators["C3"].value == layout.INDICATOR_NAME and indicators["C3"].protection.locked
    assert not indicators["F5"].protection.locked  # Kết quả thực hiện is an input
    assert indicators["E5"].protection.locked  # the target is not
    assert indicators["E5"].value == "≥ 80 %"
    assert indicators["C5"].alignment.wrap_text  # a long indicator name wraps in its column, printed whole
    assert indicators.column_dimensions["B"].hidden  # indicator codes kept for the reader, hidden
    # every input cell says what goes in it when the clerk selects it
    assert all(rule.showInputMessage and rule.prompt for rule in indicators.data_validations.dataValidation)
    tasks = workbook[layout.TASKS_SHEET]
    status_rule = next(v for v in tasks.data_validations.dataValidation if v.type == "list")
    assert status_rule.formula1 == '"Hoàn thành,Đang thực hiện,Chưa thực hiện,Không thực hiện"'
    assert set(str(status_rule.sqref).split()) == {
        f"F{row}" for row in input_cells(workbook).task_rows.values()
    }
    assert tasks.column_dimensions["B"].hidden  # task keys stay for the reader, out of the clerk's way
    assert all(rule.showInputMessage and rule.prompt for rule in tasks.data_validations.dataValidation)


def test_indicators_grouped_by_field_and_tasks_under_their_plan_and_its_sections(template, tmp_path):
    workbook = openpyxl.load_workbook(template)
    indicators = [row[:3] for row in workbook[layout.INDICATORS_SHEET].iter_rows(min_row=4, values_only=True)]
    assert indicators == [
        ("I. Cải cách thủ tục hành chính", None, None),
        (1, "online_application_rate", "Tỷ lệ hồ sơ trực tuyến"),
        (2, "tthc_on_time_rate", "Tỷ lệ hồ sơ đúng hạn"),
        ("II. Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức", None, None),
        (3, "staff_trained", "Tỷ lệ cán bộ được bồi dưỡng"),
    ]
    tasks = workbook[layout.TASKS_SHEET]
    assert tasks["D3"].value == layout.TASK_OUTPUT
    assert [row[:4] for row in tasks.iter_rows(min_row=4, values_only=True)] == [
        ("Kế hoạch 300/KH-UBND", None, None, None),
        ("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None, None, None),
        ("2.2", "kh-300.md#17", "Tổ chức khảo sát ý kiến người dân", "Báo cáo kết quả khảo sát"),
        ("V. CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", None, None, None),
        ("4", "kh-300.md#41", "Tập huấn nghiệp vụ cải cách hành chính", None),
    ]
    # a heading spans the table, is locked and takes no entry
    assert "A5:H5" in {str(cells) for cells in tasks.merged_cells.ranges}
    assert tasks["A5"].protection.locked
    # the headings are not rows of the report: the reader takes the two tasks and three indicators only
    reading = read_report(
        _filled(template, tmp_path, statuses={"kh-300.md#41": ("Hoàn thành", date(2024, 5, 3))})
    )
    assert [task.task_code for task in reading.tasks] == ["kh-300.md#17", "kh-300.md#41"]
    assert [value.indicator_code for value in reading.indicators] == [line.code for line in FORM.indicators]
    assert all(task.row_status != REJECTED for task in reading.tasks)


def test_a_long_task_gets_the_height_its_wrapped_words_need(tmp_path):
    long_task = " ".join(["Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý"] * 6)
    form = replace(FORM, tasks=(replace(FORM.tasks[0], task=long_task),))
    sheet = openpyxl.load_workbook(write_template(form, tmp_path / "mau.xlsx"))[layout.TASKS_SHEET]
    row = next(cell.row for cell in sheet["C"] if cell.value == long_task)
    # 353 characters in a 60-wide column: six lines at least, never the one line of a default row
    assert sheet.row_dimensions[row].height >= 6 * 15


def test_entry_rules_bound_rates_to_0_100_and_dates_to_the_periods_year(template):
    workbook = openpyxl.load_workbook(template)
    indicators = workbook[layout.INDICATORS_SHEET]
    rules = {
        (rule.type, rule.operator, rule.formula1, rule.formula2): str(rule.sqref)
        for rule in indicators.data_validations.dataValidation
    }
    actual = input_cells(workbook).indicator_columns[layout.ACTUAL]
    rows = input_cells(workbook).indicator_rows
    rate_cells = {f"{actual}{rows[line.code]}" for line in FORM.indicators if line.is_rate}
    assert set(rules[("decimal", "between", "0", "100")].split()) == rate_cells  # 250 % is refused at entry
    assert not rate_cells & set(rules[("decimal", "greaterThanOrEqual", "0", None)].split())
    tasks = {
        (rule.formula1, rule.formula2)
        for rule in workbook[layout.TASKS_SHEET].data_validations.dataValidation
        if rule.type == "date"
    }
    assert tasks == {("DATE(2016,1,1)", "DATE(2024,12,31)")}  # a 2024-Q3 report: nothing done after 2024
    general = {
        (rule.formula1, rule.formula2)
        for rule in workbook[layout.GENERAL_SHEET].data_validations.dataValidation
    }
    assert general == {("DATE(2024,1,1)", "DATE(2025,12,31)")}


def test_the_template_says_the_window_the_kind_of_figures_the_due_date_and_the_recipient(tmp_path):
    form = replace(
        FORM,
        cutoff=(date(2024, 6, 15), date(2024, 9, 14)),
        is_cumulative=False,
        due_on=date(2024, 9, 20),
        recipient="Sở Nội vụ tỉnh Đồng Nai",
    )
    sheet = openpyxl.load_workbook(write_template(form, tmp_path / "mau.xlsx"))[layout.GENERAL_SHEET]
    shown = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert shown[layout.CUTOFF] == "từ 15/06/2024 đến 14/09/2024"
    assert shown[layout.FIGURES] == "của riêng kỳ báo cáo"
    assert shown[layout.DUE_ON] == "20/09/2024" and shown[layout.RECIPIENT] == "Sở Nội vụ tỉnh Đồng Nai"
    assert list(shown)[-1] == layout.REPORTED_ON  # the clerk's inputs stay last, the date among them
    reading = read_report(
        fill_report(tmp_path / "mau.xlsx", tmp_path / "bao-cao.xlsx", Filling(reported_on=date(2024, 9, 18)))
    )
    assert reading.reported_on == date(2024, 9, 18) and reading.period_key == "2024-Q3"


def test_an_unfilled_template_reads_as_all_missing(template):
    reading = read_report(template)
    assert (reading.agency_key, reading.period_key, reading.template_version) == (
        "dong_nai.so_noi_vu",
        "2024-Q3",
        layout.TEMPLATE_VERSION,
    )
    assert {v.row_status for v in reading.indicators} == {MISSING}
    assert {t.row_status for t in reading.tasks} == {MISSING}


def test_values_as_clerks_type_them(template, tmp_path):
    path = _filled(
        template,
        tmp_path,
        submitter="Nguyễn Thị Lan",
        reported_on=date(2024, 9, 18),
        actuals={"online_application_rate": "82,5 %", "staff_trained": 55},
        parts={"tthc_on_time_rate": (1940, 2000)},
        statuses={
            "kh-300.md#17": ("Hoàn thành", date(2024, 8, 30)),
            "kh-300.md#41": ("Đang thực hiện", None),
        },
    )
    reading = read_report(path)
    values = {v.indicator_code: v for v in reading.indicators}
    assert values["online_application_rate"].actual_value == 82.5
    assert values["online_application_rate"].actual_text == "82,5 %"
    assert values["online_application_rate"].actual_cell == "F5"
    assert values["tthc_on_time_rate"].actual_value == 97.0 and values["tthc_on_time_rate"].is_computed
    assert values["staff_trained"].actual_value == 55.0
    statuses = {t.task_code: t for t in reading.tasks}
    assert (statuses["kh-300.md#17"].status_code, statuses["kh-300.md#17"].completed_on) == (
        "done",
        date(2024, 8, 30),
    )
    assert statuses["kh-300.md#41"].status_code == "in_progress"
    assert (reading.submitter, reading.reported_on) == ("Nguyễn Thị Lan", date(2024, 9, 18))


def test_a_percentage_excel_stored_as_a_fraction_is_read_as_typed(template, tmp_path):
    path = _filled(template, tmp_path)
    workbook = openpyxl.load_workbook(path)
    cell = workbook[layout.INDICATORS_SHEET]["F5"]
    cell.value, cell.number_format = 0.975, "0.0%"  # what Excel keeps when a clerk types 97,5%
    workbook.save(path)
    values = {v.indicator_code: v for v in read_report(path).indicators}
    assert values["online_application_rate"].actual_value == pytest.approx(97.5)


def test_moved_columns_blank_rows_and_notes_do_not_matter(template, tmp_path):
    path = _filled(template, tmp_path, actuals={"online_application_rate": 81})
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[layout.INDICATORS_SHEET]
    sheet.insert_rows(1, amount=2)  # a title block the clerk added
    sheet.insert_cols(2)  # and a column of their own
    sheet.cell(row=5, column=2, value="Ghi chú riêng")
    sheet.append([])
    sheet.append(["", "", "Ghi chú: số liệu tạm tính đến 14/9"])
    workbook.save(path)
    values = {v.indicator_code: v for v in read_report(path).indicators}
    assert values["online_application_rate"].actual_value == 81.0
    assert values["online_application_rate"].actual_cell == "G7"
    assert len(values) == 3


def test_row_problems_reject_or_flag_exactly_that_row(template, tmp_path):
    path = _filled(
        template,
        tmp_path,
        actuals={"online_application_rate": "đạt", "tthc_on_time_rate": 103, "staff_trained": 40},
        edited_targets={"staff_trained": 30},
        statuses={"kh-300.md#17": ("xong", None), "kh-300.md#41": ("Hoàn thành", None)},
    )
    reading = read_report(path)
    values = {v.indicator_code: v for v in reading.indicators}
    assert values["online_application_rate"].row_status == REJECTED
    assert (
        "Ô F5" in values["online_application_rate"].issue
        and "'đạt' không phải là số" in values["online_application_rate"].issue
    )
    assert values["tthc_on_time_rate"].row_status == REJECTED
    assert "103" in values["tthc_on_time_rate"].issue
    assert values["staff_trained"].row_status == FLAGGED
    assert "Ô E8" in values["staff_trained"].issue and "kế hoạch giao 50" in values["staff_trained"].issue
    statuses = {t.task_code: t for t in reading.tasks}
    assert statuses["kh-300.md#17"].row_status == REJECTED and "'xong'" in statuses["kh-300.md#17"].issue
    assert statuses["kh-300.md#41"].row_status == FLAGGED


def test_an_edited_target_without_a_value_is_missing_not_flagged(template, tmp_path):
    # found by the national benchmark: a flagged row must carry a value (the facts count flagged rows),
    # so a row whose only entry is a target typed over the plan's has nothing to count
    path = _filled(template, tmp_path, edited_targets={"staff_trained": 30})
    value = {v.indicator_code: v for v in read_report(path).indicators}["staff_trained"]
    assert value.row_status == MISSING and value.actual_value is None
    assert "Ô E8" in value.issue and "kế hoạch giao 50" in value.issue


def test_a_target_typed_where_the_plan_set_none_is_flagged(template, tmp_path):
    # the hidden block holds no target for an indicator the plan set none for; a target typed there
    # was flagged by formatting the missing one, a TypeError that stopped the period's run
    def no_planned_target(workbook: openpyxl.Workbook) -> None:
        for row in workbook[layout.META_SHEET].iter_rows():
            if row[0].value == "staff_trained":
                row[2].value = None

    path = _edit(_filled(template, tmp_path, edited_targets={"staff_trained": 30}), no_planned_target)
    value = {v.indicator_code: v for v in read_report(path).indicators}["staff_trained"]
    assert (value.printed_target, value.target_text) == (None, "30")
    assert (
        value.issue
        == "Ô E8: chỉ tiêu kế hoạch bị sửa thành '30' (kế hoạch không giao); dùng chỉ tiêu của kế hoạch."
    )


def test_a_fault_of_the_reader_after_identifying_the_file_keeps_its_agency_and_period(
    template, tmp_path, monkeypatch
):
    # simulated (no real file is known to cause one now): the file is refused as the software's fault
    def fails(*_):
        raise RuntimeError("a reader bug")

    monkeypatch.setattr(read, "_task_statuses", fails)
    with pytest.raises(ReportRejected) as rejected:
        read_report(_filled(template, tmp_path))
    assert rejected.value.reason == READER_FAULT
    assert rejected.value.identified == ("dong_nai.so_noi_vu", "2024-Q3")


def test_a_zero_denominator_is_a_row_problem(template, tmp_path):
    path = _filled(template, tmp_path, parts={"tthc_on_time_rate": (0, 0)})
    values = {v.indicator_code: v for v in read_report(path).indicators}
    assert values["tthc_on_time_rate"].row_status == REJECTED
    assert "mẫu số bằng 0" in values["tthc_on_time_rate"].issue


def _edit(path: Path, change) -> Path:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("change", "name", "reason"),
    [
        (lambda wb: wb.remove(wb[layout.TASKS_SHEET]), "a.xlsx", "Thiếu trang 'Nhiệm vụ'"),
        (
            lambda wb: wb[layout.META_SHEET].cell(row=2, column=2, value="dong_nai.so_khong_co"),
            "b.xlsx",
            "Cơ quan 'dong_nai.so_khong_co' không có trong danh mục",
        ),
        (
            lambda wb: wb[layout.META_SHEET].cell(row=3, column=2, value="2024-Q2"),
            "c.xlsx",
            "không phải kỳ báo cáo theo quy định",
        ),
        (
            lambda wb: wb[layout.META_SHEET].cell(row=3, column=2, value="2031-Q1"),
            "d.xlsx",
            "năm 2031 chưa tới",
        ),
        (
            lambda wb: wb[layout.GENERAL_SHEET].cell(row=5, column=2, value="Quý I/2024"),
            "e.xlsx",
            "ghi kỳ 'Quý I/2024' nhưng mẫu được cấp cho kỳ 2024-Q3",
        ),
        (
            lambda wb: None,
            "bao-cao-6-thang-2024.xlsx",
            "Tên tệp ghi kỳ 2024-H1 nhưng mẫu bên trong là của kỳ 2024-Q3",
        ),
        (
            lambda wb: wb[layout.INDICATORS_SHEET].cell(row=3, column=6, value="Số liệu"),
            "f.xlsx",
            "thiếu cột 'Kết quả thực hiện'",
        ),
    ],
)
def test_file_problems_reject_the_file_with_a_reason(template, tmp_path, change, name, reason):
    path = _edit(_filled(template, tmp_path, name=name), change)
    with pytest.raises(ReportRejected, match=reason):
        read_report(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"PK\x03\x04 cut short", "tệp bị hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "mật khẩu"),
    ],
)
def test_unreadable_files_are_rejected(tmp_path, content, reason):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReportRejected, match=reason):
        read_report(path)


def test_a_legacy_xls_is_read_and_rejected_for_what_it_lacks(tmp_path):
    path = tmp_path / "bao-cao-cu.xls"
    path.write_bytes((FIXTURES / "indices" / "PCI_2005.xls").read_bytes())
    with pytest.raises(ReportRejected, match=r"Thiếu trang 'Thông tin chung'\. Tệp \.xls"):
        read_report(path)
