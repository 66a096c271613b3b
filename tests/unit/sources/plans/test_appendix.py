"""Appendix task tables as PDF extraction leaves them: each damage pattern in a minimal real snippet."""

from datetime import date
from pathlib import Path

from pipelines.formats.documents import read_document
from pipelines.sources.plans.appendix import read_tasks, split_agencies


def row(*cells: str) -> str:
    return "\t".join(cells)


HEADER7 = row(
    "STT",
    "Mục tiêu",
    "Nhiệm vụ/ Hoạt động",
    "Kết quả/ Sản phẩm",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
)


def tasks_of(tmp_path: Path, text: str, **context):
    path = tmp_path / "plan.md"
    path.write_text(text, encoding="utf-8")
    options = {"plan_year": 2024, "province": "dong_nai", "on": date(2024, 1, 1), "issuer": "dong_nai.ubnd"}
    return read_tasks(read_document(path).tables, **{**options, **context})


def test_header_repeated_on_each_page_is_dropped(tmp_path):
    text = "\n".join(
        [
            HEADER7,
            "I\tCải cách thể chế\t\t\t\t\t",
            "1\tMục tiêu A\tViệc A\tSP\tSở Tư pháp\t\tQuý I/2024",
            "",
            HEADER7.replace("Kết quả/ Sản phẩm", "Kết quả/Sản phẩm"),
            "2\tMục tiêu B\tViệc B\tSP\tSở Tư pháp\t\tQuý II/2024",
        ]
    )
    tasks = tasks_of(tmp_path, text)
    assert [t.task for t in tasks] == ["Việc A", "Việc B"]
    assert [t.deadline for t in tasks] == [date(2024, 3, 31), date(2024, 6, 30)]


def test_row_continued_across_a_page_break_is_merged(tmp_path):
    text = "\n".join(
        [
            HEADER7,
            "1\tCải cách thể chế\t\t\t\t\t",
            row(
                "2.2",
                "Tỷ lệ đúng hạn",
                "Thực hiện trên hệ thống thông tin giải",
                "Kết quả",
                "Sở, ban ngành, UBND cấp huyện;",
                "Văn phòng UBND tỉnh",
                "Thường xuyên",
            ),
            HEADER7,
            "\t\tQuyết thủ tục hành chính ở cả 3 cấp\t\tUBND cấp xã\t\t",
        ]
    )
    (task,) = tasks_of(tmp_path, text)
    assert task.task == "Thực hiện trên hệ thống thông tin giải Quyết thủ tục hành chính ở cả 3 cấp"
    assert task.lead_raw == "Sở, ban ngành, UBND cấp huyện; UBND cấp xã"
    assert [ref.group_role for ref in task.lead] == [
        "nhom_so_ban_nganh",
        "nhom_ubnd_cap_huyen",
        "nhom_ubnd_cap_xa",
    ]


def test_row_after_a_page_break_with_its_own_deadline_is_a_new_task_that_finishes_the_objective(tmp_path):
    text = "\n".join(
        [
            HEADER7,
            "VI\tChính quyền số\t\t\t\t\t",
            row(
                "",
                "Hoàn thiện hệ thống một cửa điện tử; hạn chế các",
                "Kết nối dữ liệu",
                "CSDL",
                "Sở Thông tin và Truyền thông",
                "",
                "Theo hướng dẫn của Bộ",
            ),
            HEADER7,
            "\tthao tác của cán bộ\tĐồng bộ hồ sơ\tDữ liệu\tSở Thông tin và Truyền thông\t\tThường xuyên",
        ]
    )
    first, second = tasks_of(tmp_path, text)
    assert second.task == "Đồng bộ hồ sơ"
    assert (
        first.objective
        == second.objective
        == "Hoàn thiện hệ thống một cửa điện tử; hạn chế các thao tác của cán bộ"
    )
    assert (first.recurrence, second.recurrence) == ("conditional", "ongoing")


def test_empty_objective_belongs_to_the_merged_cell_above(tmp_path):
    text = "\n".join(
        [
            HEADER7,
            "I\tCải cách thể chế\t\t\t\t\t",
            "3\tĐổi mới thực thi pháp luật\tTheo dõi thi hành\tBáo cáo\tSở Tư pháp\t\tThường xuyên",
            "\t\tĐa dạng hình thức phổ biến\tChương trình\tSở Tư pháp\t\tThường xuyên",
        ]
    )
    first, second = tasks_of(tmp_path, text)
    assert second.objective == first.objective == "Đổi mới thực thi pháp luật"
    assert second.stt == "3"


def test_section_rows_bold_roman_or_arabic_set_area_and_sub_area(tmp_path):
    text = "\n".join(
        [
            HEADER7,
            "<b>II Cải cách thủ tục hành chính</b>\t\t\t\t\t\t",
            "<b>1 Kiểm soát thủ tục hành chính</b>\t\t\t\t\t\t",
            "1.1\t100% bộ TTHC ban hành kịp thời\tRà soát\tQĐ\tCác sở, ban ngành\t\tThường xuyên",
            "2.\t<b>Thực hiện cơ chế một cửa, một cửa liên thông</b>\t\t\t\t\t",
            "2.4\tHệ thống giám sát BPMC hoạt động ổn định\t\t\t\t\t",
            "<b>III</b>\t<b>Cải cách tổ chức bộ máy</b>\t\t\t\t\t",
            row(
                "5",
                "Tình gián biên chế theo Kế hoạch",
                "Triển khai tình gián biên chế",
                "Báo cáo",
                "Sở Nội vụ",
                "",
                "Theo tiến độ phê duyệt",
            ),
        ]
    )
    control, one_stop, organisation = tasks_of(tmp_path, text)
    assert (control.area_code, control.sub_area_code) == ("procedures", "procedures.control")
    # "2.4" numbers a task (here an objective alone), so it is kept, under the one-stop sub-area
    assert (one_stop.stt, one_stop.task, one_stop.sub_area_code) == ("2.4", None, "procedures.one_stop")
    assert (organisation.area_code, organisation.sub_area_code) == ("organisation", None)


def test_roman_section_whose_heading_names_no_known_area_falls_back_to_the_numeral(tmp_path):
    text = "\n".join(
        [HEADER7, "V\tNội dung khác của tỉnh\t\t\t\t\t", "1\tMục tiêu\tViệc\tSP\tSở Tài chính\t\tNăm 2024"]
    )
    (task,) = tasks_of(tmp_path, text)
    assert task.area_code == "public_finance"


def test_column_order_is_read_from_the_header_not_assumed(tmp_path):
    header = "TT\tThời hạn\tĐơn vị chủ trì\tNội dung nhiệm vụ\tSản phẩm\tĐơn vị phối hợp"
    text = "\n".join(
        [
            header,
            "I. Cải cách thể chế\t\t\t\t\t",
            "1\tTháng 11/2024\tSở Tư pháp\tRà soát văn bản\tBáo cáo\tVăn phòng UBND tỉnh",
        ]
    )
    (task,) = tasks_of(tmp_path, text)
    assert (task.task, task.output, task.deadline) == ("Rà soát văn bản", "Báo cáo", date(2024, 11, 30))
    assert [ref.agency_key for ref in task.lead] == ["dong_nai.so_tu_phap"]
    assert [ref.agency_key for ref in task.coordinating] == ["dong_nai.van_phong_ubnd"]


def test_eight_column_layout_gives_one_row_per_activity_under_its_task(tmp_path):
    header = "STT\tMục tiêu\tNhiệm vụ\tHoạt động\tKết quả/sản phẩm\tChủ trì\tPhối hợp\tThời gian"
    text = "\n".join(
        [
            header,
            "<b>I</b>\t<b>CẢI CÁCH THỂ CHẾ</b>\t\t\t\t\t\t",
            row(
                "<b>1</b>",
                "Nâng cao chất lượng",
                "Đổi mới xây dựng văn bản",
                "Lấy ý kiến người dân",
                "Văn bản",
                "",
                "",
                "Thường xuyên",
            ),
            "\t\t\tCử công chức tập huấn\tCông văn\t\t\tTheo Chương trình công tác",
        ]
    )
    first, second = tasks_of(tmp_path, text)
    assert (first.task, first.activity) == ("Đổi mới xây dựng văn bản", "Lấy ý kiến người dân")
    assert (second.task, second.activity, second.stt) == (
        "Đổi mới xây dựng văn bản",
        "Cử công chức tập huấn",
        "1",
    )


def test_row_shifted_left_by_extraction_is_put_back_under_its_header(tmp_path):
    header = "STT\tMục tiêu\tNhiệm vụ\tHoạt động\tKết quả/sản phẩm\tChủ trì\tPhối hợp\tThời gian"
    text = "\n".join(
        [
            header,
            "IV\tCải cách chế độ công vụ\t\t\t\t\t\t",
            row(
                "",
                "Tăng cường minh bạch tuyển dụng",
                "Quy định, quy chế",
                "Phòng Văn hóa - Xã hội",
                "Các cơ quan, đơn vị",
                "Hàng năm",
                "",
                "",
            ),
        ]
    )
    (task,) = tasks_of(tmp_path, text)
    assert (task.activity, task.output, task.lead_raw, task.recurrence) == (
        "Tăng cường minh bạch tuyển dụng",
        "Quy định, quy chế",
        "Phòng Văn hóa - Xã hội",
        "annual",
    )


def test_html_tags_in_cells_do_not_reach_the_task(tmp_path):
    text = "\n".join(
        [
            HEADER7,
            "I\tCải cách thể chế\t\t\t\t\t",
            row(
                "2.1",
                "Mục tiêu",
                "<p>Đảm bảo cơ sở vật chất</p> <p>Giải quyết không phụ thuộc địa giới</p>",
                "SP",
                "<p>Văn phòng UBND tỉnh</p>",
                "",
                "<p>- Thường xuyên - Tại cấp huyện trong quý I/2024</p>",
            ),
        ]
    )
    (task,) = tasks_of(tmp_path, text)
    assert task.task == "Đảm bảo cơ sở vật chất\nGiải quyết không phụ thuộc địa giới"
    assert (task.deadline, task.recurrence) == (date(2024, 3, 31), "ongoing")


def test_agencies_split_on_commas_only_between_names():
    refs = split_agencies(
        "Sở Tài chính, Sở Thông tin và Truyền thông, Các sở, ban, ngành",
        province="dong_nai",
        on=date(2024, 1, 1),
        issuer=None,
    )
    assert [(r.raw, r.agency_key or r.group_role) for r in refs] == [
        ("Sở Tài chính", "dong_nai.so_tai_chinh"),
        ("Sở Thông tin và Truyền thông", "dong_nai.so_thong_tin_truyen_thong"),
        ("Các sở, ban, ngành", "nhom_so_ban_nganh"),
    ]


def test_names_glued_by_a_line_break_are_separated_and_remarks_ignored():
    refs = split_agencies(
        "Sở Tư pháp UBND tỉnh (trên Công TTĐT tỉnh)", province="dong_nai", on=date(2024, 1, 1), issuer=None
    )
    assert [r.agency_key for r in refs] == ["dong_nai.so_tu_phap", "dong_nai.ubnd"]
    assert refs[1].raw == "UBND tỉnh (trên Công TTĐT tỉnh)"


def test_name_nobody_knows_is_kept_with_its_raw_text():
    (ref,) = split_agencies(
        "Ngân hàng thương mại cùng cấp dịch vụ", province="dong_nai", on=None, issuer=None
    )
    assert (ref.status, ref.agency_key, ref.raw) == ("unknown", None, "Ngân hàng thương mại cùng cấp dịch vụ")
