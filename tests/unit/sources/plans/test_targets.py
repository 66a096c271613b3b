"""Narrative targets: values, units, comparators, levels, milestones, indicators, flags."""

from hypothesis import given
from hypothesis import strategies as st

from pipelines.formats.blocks import Paragraph
from pipelines.sources.plans.targets import read_targets, targets_in_text


def targets(text: str, area: str | None = "procedures"):
    return targets_in_text(text, area_code=area, sub_area_code=None, target_year=2024, line=1)


def test_value_split_by_level_gives_one_row_per_level():
    rows = targets(
        "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 80% tại cấp sở, "
        "40% tại cấp huyện "
        "và 30% tại cấp xã;"
    )
    assert [(r.value, r.level, r.comparator) for r in rows] == [
        (80.0, "department", ">="),
        (40.0, "district", ">="),
        (30.0, "commune", ">="),
    ]
    assert {r.indicator_code for r in rows} == {"online_application_rate"}
    assert {r.unit for r in rows} == {"percent"}


def test_comparators():
    assert targets("Tỷ lệ hồ sơ đúng hạn đạt từ 95% trở lên.")[0].comparator == ">="
    assert targets("Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 97%")[0].comparator == ">="
    assert targets("Phản ánh kiến nghị được xử lý ít nhất 90% đúng hạn")[0].comparator == ">="
    assert targets("tỷ lệ không hài lòng do những lỗi giảm xuống dưới 1,3%.")[0].comparator == "<"
    assert targets("Tỷ lệ hồ sơ trễ hạn không quá 2%.")[0].comparator == "<="
    assert targets("Giảm tỷ lệ không hài lòng xuống còn 2%.")[0].comparator == "<="


def test_a_bare_figure_is_judged_by_what_it_measures():
    """A plan says a ceiling in words: a figure without them is a floor where more is better (most
    rates), a ceiling where less is, and exactly only where what it measures is not known. The
    sentences are the seed plans' own."""
    assert targets("Tỷ lệ số hóa hồ sơ đạt 100%")[0].comparator == ">="
    kh_300 = targets(
        "- 100% thủ tục hành chính được công bố, công khai đầy đủ, kịp thời trên Cơ sở dữ liệu quốc gia về"
        " thủ tục hành chính, tích hợp, đồng bộ với Cổng Dịch vụ công của tỉnh để đảm bảo thuận tiện cho"
        " việc khai thác, sử dụng; 70% hồ sơ thủ tục hành chính có hồ sơ mẫu;"
    )
    assert [(r.indicator_code, r.value, r.comparator) for r in kh_300] == [
        ("tthc_timely_update", 100.0, ">="),
        ("sample_dossier_rate", 70.0, ">="),  # 75 % with a sample dossier meets it
    ]
    (online,) = targets(
        "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết thủ tục hành chính là 80%."
    )
    assert (online.indicator_code, online.comparator) == ("online_application_rate", ">=")
    (payroll,) = targets(
        "+ Tiếp tục giảm bình quân 10% biên chế sự nghiệp hưởng lương từ ngân sách nhà nước so với năm 2025.",
        area="organisation",
    )
    assert (payroll.indicator_code, payroll.comparator) == (
        "payroll_reduction",
        ">=",
    )  # a cut of 12 % meets it
    (dissatisfied,) = targets("Tỷ lệ không hài lòng của người dân là 2%.")
    assert (dissatisfied.indicator_code, dissatisfied.comparator) == ("dissatisfaction_rate", "<=")
    (unknown,) = targets(
        "Thực hiện kiểm tra cải cách hành chính, công vụ tại 100% các bộ phận chuyên môn trực thuộc.",
        area="direction",
    )
    assert (unknown.indicator_code, unknown.comparator) == ("unclassified", "=")


def test_decimal_comma_is_read():
    (row,) = targets("tỷ lệ không hài lòng giảm xuống dưới 1,3%.")
    assert (row.value, row.value_text, row.indicator_code) == (1.3, "1,3%", "dissatisfaction_rate")


def test_two_subjects_in_one_sentence_get_their_own_indicators():
    rows = targets(
        "Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 97%, mức độ hài lòng của người dân, doanh nghiệp về "
        "giải quyết thủ tục hành chính đạt tối thiểu 94%;"
    )
    assert [(r.indicator_code, r.value) for r in rows] == [
        ("tthc_on_time_rate", 97.0),
        ("tthc_satisfaction", 94.0),
    ]


def test_value_before_its_subject_takes_the_indicator_after_it():
    (row,) = targets("- 100% lãnh đạo sử dụng chữ ký số để xác thực văn bản điện tử;")
    assert row.indicator_code == "digital_signature"


def test_a_sentence_with_two_measures_gives_two_indicators():
    # kh-300 line 76: provision online and integration on the national portal are measured apart
    provided, integrated = targets(
        "- 100% thủ tục hành chính thuộc thẩm quyền giải quyết cấp tỉnh, huyện, xã có đủ điều kiện, được cung"
        " cấp trực tuyến; trong đó, 100% thủ tục hành chính được tích hợp, cung cấp trên Cổng Dịch vụ công"
        " quốc gia."
    )
    assert (provided.indicator_code, provided.value) == ("online_service_rate", 100.0)
    assert (integrated.indicator_code, integrated.value) == ("national_portal_rate", 100.0)


def test_ocr_slips_that_only_lose_diacritics_still_match():
    # "Công" for "Cổng", "PAKN" abbreviation, "phân ảnh" for "phản ánh"
    (portal,) = targets("100% TTHC được tích hợp, cung cấp trên Công Dịch vụ công quốc gia")
    assert portal.indicator_code == "national_portal_rate"
    (feedback,) = targets("Tối thiểu 97% PAKN xử lý dứt điểm, đúng hạn")
    assert feedback.indicator_code == "feedback_on_time_rate"
    (typo,) = targets("Tối thiểu 95% phân ảnh kiến nghị được giải quyết đúng hạn")
    assert typo.indicator_code == "feedback_on_time_rate"


def test_implausible_percentage_is_kept_as_written_and_flagged():
    (row,) = targets(
        "500% hoạt động kiểm tra của cơ quan quản lý nhà nước được thực hiện thông qua môi trường số"
    )
    assert (row.value, row.value_text, row.is_implausible) == (500.0, "500%", True)
    assert row.indicator_code == "online_inspection"


def test_target_matching_no_indicator_is_kept_as_unclassified():
    (row,) = targets("Phấn đấu 100% khu phố có mô hình tự quản về an ninh trật tự")
    assert (row.indicator_code, row.value) == ("unclassified", 100.0)


def test_rank_target():
    (row,) = targets(
        "Năng lực cạnh tranh cấp tỉnh thuộc nhóm 20 địa phương dẫn đầu cả nước;", area="direction"
    )
    assert (row.unit, row.value, row.comparator, row.indicator_code) == ("rank", 20.0, "<=", "pci_rank")


def test_index_to_improve_on_a_year_is_a_baseline_year_target():
    rows = targets(
        "Năng lực cạnh tranh cấp tỉnh thuộc nhóm 20 địa phương dẫn đầu cả nước; "
        "Chỉ số Cải cách hành chính cải thiện so với năm 2023.",
        area="direction",
    )
    assert [(r.indicator_code, r.unit, r.value, r.comparator, r.value_text) for r in rows] == [
        ("pci_rank", "rank", 20.0, "<=", "nhóm 20 địa phương dẫn đầu"),
        ("par_index_rank", "baseline_year", 2023.0, ">", "cải thiện so với năm 2023"),
    ]


def test_a_rate_to_improve_on_a_year_keeps_only_its_value():
    # the agencies' own figures of 2023 are in no report, so "tăng so với năm 2023" is not measurable
    rows = targets("Tỷ lệ hồ sơ trực tuyến tăng so với năm 2023, đạt tối thiểu 50%.")
    assert [(r.indicator_code, r.unit, r.value) for r in rows] == [
        ("online_application_rate", "percent", 50.0)
    ]


def test_values_listed_respectively_after_their_levels():
    rows = targets(
        "Năm 2021, số hóa kết quả giải quyết thủ tục hành chính của cấp tỉnh, cấp huyện, cấp xã "
        "đạt tỷ lệ tối "
        "thiểu tương ứng là 30%, 20%, 15%;"
    )
    assert [(r.value, r.level) for r in rows] == [(30.0, "province"), (20.0, "district"), (15.0, "commune")]


def test_single_value_is_not_split_by_levels_it_merely_mentions():
    (row,) = targets(
        "- 100% thủ tục hành chính thuộc thẩm quyền giải quyết cấp tỉnh, huyện, xã được công khai;"
    )
    assert row.level is None


def paragraph(text: str, line: int, emphasised: bool = False) -> Paragraph:
    return Paragraph(text, line, emphasised)


def test_only_target_parts_are_read_and_milestones_set_the_year():
    paragraphs = (
        paragraph("2. Cải cách thủ tục hành chính", 1),
        paragraph("a) Mục tiêu", 2),
        paragraph("- Đến năm 2025:", 3),
        paragraph(
            "+ Tối thiểu 80% TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến.", 4
        ),
        paragraph("- Đến năm 2030:", 5),
        paragraph("+ 100% TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến.", 6),
        paragraph("b) Nhiệm vụ", 7),
        paragraph("- Bảo đảm 100% hồ sơ được số hóa.", 8),
        paragraph("3. Cải cách tổ chức bộ máy hành chính nhà nước", 9),
        paragraph("a) Mục tiêu", 10),
        paragraph("+ Giảm tối thiểu bình quân 10% biên chế sự nghiệp so với năm 2021.", 11),
    )
    rows = read_targets(paragraphs, period_start=2021, period_end=2030)
    assert [(r.source_line, r.area_code, r.target_year, r.value) for r in rows] == [
        (4, "procedures", 2025, 80.0),
        (6, "procedures", 2030, 100.0),
        (11, "organisation", 2030, 10.0),
    ]
    assert [r.seq for r in rows] == [1, 2, 3]


def test_plan_without_target_headings_reads_whole_area_sections_and_general_orientation():
    paragraphs = (
        paragraph("I. ĐỊNH HƯỚNG", 1),
        paragraph("c) Bảo đảm sự hài lòng của tổ chức, cá nhân đạt từ 85% trở lên.", 2),
        paragraph("II. NỘI DUNG THỰC HIỆN", 3),
        paragraph("2. Cải cách thủ tục hành chính", 4),
        paragraph("- Tỷ lệ hồ sơ giải quyết đúng hạn và trước hạn đạt từ 95% trở lên.", 5),
        paragraph("III. Tổ chức thực hiện", 6),
        paragraph("- Văn phòng kiểm tra 100% bộ phận.", 7),
    )
    rows = read_targets(paragraphs, period_start=2020, period_end=2020)
    assert [(r.source_line, r.area_code, r.indicator_code) for r in rows] == [
        (2, "procedures", "tthc_satisfaction"),  # outside any area: the indicator's area
        (5, "procedures", "tthc_on_time_rate"),
    ]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_parses_without_error(text):
    for row in targets(text):
        assert row.unit in {"percent", "rank", "count"}
        assert row.comparator in {">=", ">", "=", "<=", "<"}


def test_a_doubtful_figure_is_flagged_even_in_a_clear_scanned_paragraph():
    sentence = "- Tỷ lệ hồ sơ giải quyết đúng hạn đạt từ 95% trở lên; số hóa 80% hồ sơ."

    def scanned(figures: tuple[tuple[str, float], ...]) -> tuple[Paragraph, ...]:
        return (
            Paragraph("2. Cải cách thủ tục hành chính", 1),
            Paragraph("a) Mục tiêu", 2),
            Paragraph(sentence, 3, page=4, confidence=93.0, figures=figures),  # the mean says: clear
        )

    doubtful = read_targets(scanned((("95%", 96.0), ("80%", 41.0))), period_start=2024, period_end=2024)
    assert [(r.value, r.is_low_confidence, r.source_page) for r in doubtful] == [
        (95.0, False, 4),
        (80.0, True, 4),
    ]
    clear = read_targets(scanned((("95%", 96.0), ("80%", 92.0))), period_start=2024, period_end=2024)
    assert not any(r.is_low_confidence for r in clear)
    # from a text layer nothing is doubted
    text = read_targets((*scanned(())[:2], Paragraph(sentence, 3)), period_start=2024, period_end=2024)
    assert len(text) == 2 and not any(r.is_low_confidence for r in text)
