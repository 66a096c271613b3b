"""`cchc check-report`: a careless clerk's file checked before it is sent. Every finding is written
here as the clerk reads it, with the sheet and cell a reviewer can find in the file the test fills:
the general sheet's labels in column A and answers in B (rows 6-9: Người lập báo cáo, Số điện thoại,
Thư điện tử, Ngày báo cáo), the indicators in rows 5, 6 and 8 ('Kết quả thực hiện' in F), the two tasks
in rows 6 and 8 ('Tình trạng' in F, 'Ngày hoàn thành' in G)."""

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from pipelines.sources.reports.check import check_report
from tests.unit.sources.reports.test_read import FORM

CARELESS = Filling(
    submitter=None,  # "Người lập báo cáo" left blank
    phone="0251 3822 111",  # "Thư điện tử" left blank
    reported_on="ngày 20 tháng 9 năm 2024",  # a date in words
    actuals={
        "online_application_rate": "97,5 %",  # a % sign and a comma decimal
        "tthc_on_time_rate": 0.85,  # 0.85 typed in a percent row, meaning 85 %
        # staff_trained left blank
    },
    statuses={"kh-300.md#41": ("Hoàn thành", "ngày 16 tháng 9 năm 2024")},  # kh-300.md#17 left blank
)


def careless_file(tmp_path: Path) -> Path:
    template = write_template(FORM, tmp_path / "mau.xlsx")
    return fill_report(template, tmp_path / "so-noi-vu-quy-3-2024.xlsx", CARELESS)


def test_a_careless_clerks_file_gets_every_finding_with_its_sheet_and_cell(tmp_path):
    check = check_report(careless_file(tmp_path))
    assert not check.refused
    assert check.render().splitlines() == [
        "so-noi-vu-quy-3-2024.xlsx (dong_nai.so_noi_vu, kỳ 2024-Q3): 8 điểm.",
        "Tệp sẽ được nhận; các dòng bị loại không được tính.",
        "  [cảnh báo] Trang 'Thông tin chung', ô B6: 'Người lập báo cáo' để trống: hãy ghi họ tên người lập"
        " để Sở Nội vụ liên hệ khi cần.",
        "  [cảnh báo] Trang 'Thông tin chung', ô B8: 'Thư điện tử' để trống: hãy ghi thư điện tử để nhận"
        " phiếu phản hồi của Sở Nội vụ.",
        "  [cảnh báo] Trang 'Thông tin chung', ô B9: ngày viết bằng chữ 'ngày 20 tháng 9 năm 2024', đã đọc là"
        " 20/09/2024; hãy nhập dạng ngày/tháng/năm.",
        "  [cảnh báo] Trang 'Chỉ tiêu': 1 trên 3 chỉ tiêu chưa nhập 'Kết quả thực hiện' (ô F8): chỉ tiêu để"
        " trống được tính là chưa có số liệu.",
        "  [cảnh báo] Trang 'Nhiệm vụ': 1 trên 2 nhiệm vụ chưa nhập 'Tình trạng' (ô F6): nhiệm vụ để trống"
        " được tính là chưa có số liệu.",
        "  [dòng bị loại] Trang 'Chỉ tiêu' — Ô F6: 0,85 trong dòng tính theo %: nếu là 85 % hãy nhập 85;"
        " nếu đúng là 0,85 % hãy nhập '0,85 %'.",
        "  [cảnh báo] Trang 'Nhiệm vụ' — Ô G8: ngày viết bằng chữ 'ngày 16 tháng 9 năm 2024', đã đọc là"
        " 16/09/2024; hãy nhập dạng ngày/tháng/năm.",
        "  [đã đọc] Trang 'Chỉ tiêu' — Ô F5: '97,5 %' đọc là 97,5 %.",
    ]


def test_a_blank_answer_is_found_when_the_sheet_is_read_cell_by_cell(tmp_path):
    # a note typed at row 1,048,576 of the general sheet: the sheet is read cell by cell from its XML, its
    # rows ending at their last value, so the blank answers right of 'Người lập báo cáo' and 'Thư điện
    # tử' are not in their rows at all
    path = careless_file(tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook["Thông tin chung"]["J1048576"] = "ghi chú"
    workbook.save(path)
    lines = check_report(path).render().splitlines()
    assert [line for line in lines if "Thông tin chung" in line and "để trống" in line] == [
        "  [cảnh báo] Trang 'Thông tin chung', ô B6: 'Người lập báo cáo' để trống: hãy ghi họ tên người lập"
        " để Sở Nội vụ liên hệ khi cần.",
        "  [cảnh báo] Trang 'Thông tin chung', ô B8: 'Thư điện tử' để trống: hãy ghi thư điện tử để nhận"
        " phiếu phản hồi của Sở Nội vụ.",
    ]


def test_the_command_prints_the_findings_and_exits_1_only_for_a_file_that_would_be_refused(tmp_path):
    careless = careless_file(tmp_path)
    accepted = CliRunner().invoke(app, ["check-report", str(careless)])
    assert accepted.exit_code == 0, accepted.output
    assert "[dòng bị loại] Trang 'Chỉ tiêu' — Ô F6: 0,85 trong dòng tính theo %" in accepted.output
    # the same form sent as another period's file: the name says 6 tháng, the form inside quý III
    renamed = careless.rename(tmp_path / "so-noi-vu-6-thang-2024.xlsx")
    refused = CliRunner().invoke(app, ["check-report", str(renamed)])
    assert refused.exit_code == 1
    assert refused.output.splitlines()[:3] == [
        "so-noi-vu-6-thang-2024.xlsx (cơ quan, kỳ chưa xác định): 1 điểm.",
        "Tệp sẽ bị từ chối: hãy sửa rồi kiểm tra lại trước khi gửi.",
        "  [tệp bị từ chối] Tên tệp ghi kỳ 2024-H1 nhưng mẫu bên trong là của kỳ 2024-Q3: có lẽ đã dùng lại"
        " mẫu kỳ trước. Hãy tải mẫu của đúng kỳ báo cáo.",
    ]
