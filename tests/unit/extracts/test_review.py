"""The period's review workbooks from the published copy: one per province, every report read (not the
copies, not the refused), its status, findings (six at most, then a pointer to the feedback) and jumps,
a decision already taken filled in."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from pipelines.extracts.review import write_review_workbooks


def test_one_workbook_per_province_with_each_report_read(published, tmp_path):
    paths = write_review_workbooks(published, "2024-Q3", tmp_path, datetime(2025, 2, 14, 6))
    assert [path.name for path in paths] == [
        "xem-xet-binh_phuoc-2024-Q3.xlsx",
        "xem-xet-dong_nai-2024-Q3.xlsx",
    ]
    sheet = openpyxl.load_workbook(paths[1])["Xem xét"]
    rows = [row for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert [(row[1], row[9], row[4], row[7], row[8]) for row in rows] == [
        ("Sở Nội vụ tỉnh Đồng Nai", "snv/q3.xlsx", "trả lại – chờ gửi lại", "Trả lại", "Số liệu CT03 sai."),
        ("Sở Nội vụ tỉnh Đồng Nai", "snv/q3-sua.xlsx", "được tính", None, None),
        ("Sở Tư pháp tỉnh Đồng Nai", "stp/q3.xlsx", "sau khóa sổ – chờ xem xét", None, None),
    ]
    returned, corrected, late = rows
    assert returned[5] == (
        "• cảnh báo: Ô E9: chỉ tiêu kế hoạch đã bị sửa.\n"
        "• dòng bị loại: Ô F12: 'khoảng 90' không phải là số.\n"
        "• dòng bị loại: Ô F7: 'Xong' không phải tình trạng trong danh sách.\n"
        "• cảnh báo: Trang 'Thông tin chung' ô B13: 'Ngày báo cáo' để trống."
    )  # the return itself is in the decision columns
    assert corrected[6] == (
        "• Tỷ lệ hồ sơ trực tuyến (ô F9): 80,5 so với 20 kỳ 2024-H1 – thay đổi lớn so với kỳ trước\n"
        "• Tỷ lệ hồ sơ trực tuyến (ô F9): 80,5 so với 21,25 trung vị các kỳ"
        " – khác xa các kỳ trước của cơ quan"
    )
    assert late[5].splitlines()[-2:] == ["• cảnh báo: Cảnh báo 6", "… và 2 điểm khác (xem phiếu phản hồi)."]
    commune = list(openpyxl.load_workbook(paths[0])["Xem xét"].iter_rows(min_row=6, values_only=True))
    assert [(row[1], row[4], row[7]) for row in commune] == [
        ("UBND thị trấn Lộc Ninh", "được tính (nhận sau khóa sổ)", "Chấp nhận")
    ]


def test_one_province_alone_and_a_period_that_does_not_exist(published, tmp_path):
    (path,) = write_review_workbooks(published, "2024-Q3", tmp_path, datetime(2025, 2, 14, 6), "binh_phuoc")
    assert path.name == "xem-xet-binh_phuoc-2024-Q3.xlsx"
    (empty,) = write_review_workbooks(published, "2024-Q3", tmp_path, datetime(2025, 2, 14, 6), "lam_dong")
    assert openpyxl.load_workbook(empty)["Xem xét"]["A6"].value == "Chưa có báo cáo nào của kỳ này."
    with pytest.raises(ValueError, match="No province 'dong-nai'"):  # mistyped: said, not an empty file
        write_review_workbooks(published, "2024-Q3", tmp_path, datetime(2025, 2, 14, 6), "dong-nai")
    with pytest.raises(ValueError, match="No reporting period '2024-Q5'"):
        write_review_workbooks(published, "2024-Q5", tmp_path, datetime(2025, 2, 14, 6))
