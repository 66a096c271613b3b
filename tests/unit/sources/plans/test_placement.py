"""Tasks outside any area heading (a heading OCR misread, or one the table lost) are kept, placed by
the headings around them or by their own words, and flagged; only an appendix without a single area
heading places nothing. Each case is a small appendix whose right areas a reader can see."""

from datetime import date
from pathlib import Path

from pipelines.formats.documents import read_document
from pipelines.sources.plans.appendix import read_tasks
from pipelines.sources.plans.placement import placed
from tests.unit.sources.plans.test_appendix import HEADER7, row


def placed_tasks(tmp_path: Path, *lines: str) -> list[tuple[str | None, str | None, str | None]]:
    path = tmp_path / "plan.md"
    path.write_text("\n".join([HEADER7, *lines]), encoding="utf-8")
    tasks = read_tasks(
        read_document(path).tables, plan_year=2024, province="dong_nai", on=date(2024, 1, 1), issuer=None
    )
    return [(task.stt, task.area_code, task.area_placed_by) for task in placed(tasks)]


def task(stt: str, words: str = "Tổ chức thực hiện kế hoạch") -> str:
    return row(stt, "Mục tiêu", words, "Báo cáo", "Sở Nội vụ", "", "Quý II/2024")


def test_a_misread_first_heading_is_the_area_before_the_next(tmp_path):
    """'I. CẢI CÁCH TH CHŠ' as OCR read it at 150 dpi: the next heading is II, so the run is area I."""
    found = placed_tasks(
        tmp_path,
        "l\tCẢI CÁCH TH CHŠ",  # a heading too damaged to name an area
        task("1"),
        task("2"),
        "II\tCải cách thủ tục hành chính",
        task("1"),
    )
    assert found == [
        ("1", "institutions", "neighbours"),
        ("2", "institutions", "neighbours"),
        ("1", "procedures", None),
    ]


def test_a_run_between_areas_three_and_five_is_area_four(tmp_path):
    found = placed_tasks(
        tmp_path,
        "III\tCải cách tổ chức bộ máy hành chính nhà nước",
        task("1"),
        "|V\tCẢI CÁH CHỂ ĐỌ CÔNQ VU",  # numeral and words misread
        task("1"),
        "V\tCải cách tài chính công",
        task("1"),
    )
    assert [area for _, area, _ in found] == ["organisation", "civil_service", "public_finance"]
    assert [by for _, _, by in found] == [None, "neighbours", None]


def test_when_the_neighbours_leave_two_areas_the_tasks_words_decide(tmp_path):
    """Between I and IV both II and III are missing: the tasks speak of administrative procedures."""
    found = placed_tasks(
        tmp_path,
        "I\tCải cách thể chế",
        task("1"),
        "Il\tCẢI CÁH THỦ TỤ HÀNH CHÍN",
        task("1", "Rà soát, đơn giản hóa thủ tục hành chính nội bộ"),
        task("2", "Công khai thủ tục hành chính đúng hạn"),
        "IV\tCải cách chế độ công vụ",
        task("1"),
    )
    assert found[1:3] == [("1", "procedures", "text"), ("2", "procedures", "text")]


def test_an_appendix_without_any_heading_places_nothing(tmp_path):
    found = placed_tasks(tmp_path, task("1"), task("2"))
    assert found == [("1", None, None), ("2", None, None)]
