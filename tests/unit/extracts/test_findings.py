"""What the workbooks print of a report file, from the published copy: the return first, the refusal, each
bad row with sheet, cell and what was typed, each warning placed on its sheet and cell when its words name
one; and the figures that jump, in words."""

from __future__ import annotations

from pipelines.extracts.findings import Finding, findings, jumps


def test_each_file_gets_its_findings_in_the_order_a_clerk_acts_on_them(published):
    found = findings(published, ["snv/q3.xlsx", "stp/hong.xlsx", "snv/q3-sua.xlsx"])
    assert found["snv/q3.xlsx"] == [
        Finding("trả lại", None, None, None, "Sở Nội vụ trả lại: Số liệu CT03 sai."),
        Finding("cảnh báo", "Chỉ tiêu", "E9", None, "Ô E9: chỉ tiêu kế hoạch đã bị sửa."),  # not F9, as typed
        Finding("dòng bị loại", "Chỉ tiêu", "F12", "khoảng 90", "Ô F12: 'khoảng 90' không phải là số."),
        Finding(
            "dòng bị loại", "Nhiệm vụ", "F7", "Xong", "Ô F7: 'Xong' không phải tình trạng trong danh sách."
        ),
        Finding(
            "cảnh báo",
            "Thông tin chung",
            "B13",
            None,
            "Trang 'Thông tin chung' ô B13: 'Ngày báo cáo' để trống.",
        ),
    ]
    (refusal,) = found["stp/hong.xlsx"]
    assert (refusal.kind, refusal.sheet, refusal.cell) == ("tệp bị từ chối", None, None)
    assert refusal.todo == "Sửa tệp theo lý do này, kiểm tra bằng lệnh 'cchc check-report' rồi gửi lại."
    assert found["snv/q3-sua.xlsx"] == []


def test_a_warning_that_lists_several_cells_names_no_single_cell():
    from pipelines.extracts.findings import placed

    listed = placed("cảnh báo", "Trang 'Chỉ tiêu': 3 trên 26 chỉ tiêu chưa nhập (ô F6, F8, F9).")
    assert (listed.sheet, listed.cell) == ("Chỉ tiêu", None)


def test_jumps_are_said_in_words(published):
    found = jumps(published, ["snv/q3-sua.xlsx", "snv/q3.xlsx"])
    assert [str(jump) for jump in found["snv/q3-sua.xlsx"]] == [
        "Tỷ lệ hồ sơ trực tuyến (ô F9): 80,5 so với 20 kỳ 2024-H1 – thay đổi lớn so với kỳ trước",
        "Tỷ lệ hồ sơ trực tuyến (ô F9): 80,5 so với 21,25 trung vị các kỳ – khác xa các kỳ trước của cơ quan",
    ]
    assert found["snv/q3.xlsx"] == []
