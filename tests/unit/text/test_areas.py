"""Headings as the seed plans write them, mapped to reform areas."""

import re

import pytest

from pipelines.text.areas import match_area
from tests import FIXTURES_DIR

PLANS = FIXTURES_DIR / "plans"
# Appendix numbering from domain.md, used here only to check the text-based match.
NUMERAL_AREAS = {
    "I": "institutions",
    "II": "procedures",
    "III": "organisation",
    "IV": "civil_service",
    "V": "public_finance",
    "VI": "digital_government",
    "VII": "direction",
}


@pytest.mark.parametrize(
    ("heading", "area", "sub_area"),
    [
        ("### **1. Cải cách thể chế**", "institutions", None),
        ("<b>II Cải cách thủ tục hành chính</b>", "procedures", None),
        ("### a) Kiểm soát thủ tục hành chính", "procedures", "procedures.control"),
        (
            "c) Đẩy mạnh chuyển đổi số toàn diện, thực chất trong giải quyết thủ tục hành chính",
            "procedures",
            "procedures.digital",
        ),
        (
            "e) Nâng cao hiệu quả giải quyết phản ánh kiến nghị cho người dân, doanh nghiệp",
            "procedures",
            "procedures.feedback",
        ),
        ("<b>CẢI CÁCH CHẾ ĐỘ CÔNG CHỨC CÔNG VỤ</b>", "civil_service", None),
        ("IV. Xây dựng đội ngũ cán bộ, công chức, viên chức", "civil_service", None),
        ("Xây dựng và nâng cao chất lượng đội ngũ CBCCVC", "civil_service", None),
        ("VI. Hiện đại hóa hành chính nhà nước", "digital_government", None),
        ("6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "digital_government", None),
        (
            "b) Xây dựng và phát triển cơ sở dữ liệu, ứng dụng quản lý nội bộ",
            "digital_government",
            "digital_government.data",
        ),
        ("## **7. Công tác chỉ đạo, điều hành thực hiện cải cách hành chính**", "direction", None),
        ("Tác động của CCHC đến người dân, tổ chức và phát triển KT-XH", "impact", None),
    ],
)
def test_heading_maps_to_area(heading, area, sub_area):
    match = match_area(heading)
    assert match is not None
    assert (match.area_code, match.sub_area_code) == (area, sub_area)


@pytest.mark.parametrize(
    "heading", ["### **III. KINH PHÍ THỰC HIỆN**", "IV. TỔ CHỨC THỰC HIỆN", "1. Mục tiêu"]
)
def test_headings_that_name_no_area(heading):
    assert match_area(heading) is None


def test_every_roman_section_row_of_the_seed_appendices_maps_by_its_text():
    section_row = re.compile(r"^(?:<b>)?(?P<numeral>[IVX]+)\.?(?:</b>)?\s*\t?\s*(?P<title>.+)$")
    found = set()
    for plan in sorted(PLANS.glob("*.md")):
        text = plan.read_text(encoding="utf-8")
        if "\nSTT\t" not in text:
            continue
        appendix = text[text.index("\nSTT\t") :]
        for line in appendix.splitlines():
            cells = [cell for cell in line.split("\t") if cell.strip()]
            if len(cells) > 2:  # a task row, not a section row
                continue
            match = section_row.match(" ".join(cells))
            if match and match["numeral"] in NUMERAL_AREAS:
                area = match_area(match["title"])
                assert area is not None, line
                assert area.area_code == NUMERAL_AREAS[match["numeral"]], line
                found.add((plan.name[:6], match["numeral"]))
    # Every area row of the three appendix tables; kh-300 numbers its first area "1", not "I".
    every = set(NUMERAL_AREAS)
    assert found == (
        {("kh-01-", numeral) for numeral in every}
        | {("kh-300", numeral) for numeral in every - {"I"}}
        | {("kh-ubn", numeral) for numeral in every}
    )


def test_a_heading_ocr_misread_beyond_a_letter_a_word_is_its_closest_area_when_clearly_so():
    # the 150 dpi scan of the ward plan read "I. CẢI CÁCH THỂ CHẾ" so
    assert match_area("CẢI CÁCH TH CHŠ", tolerant=True).area_code == "institutions"
    assert match_area("CẢI CÁH THỦ TỤ HÀNH CHÍN", tolerant=True).area_code == "procedures"
    assert match_area("CẢI CÁCH TH CHŠ") is None  # typed text is not guessed at
    # as near to "cải cách thể chế" (0.81) as to "cải cách thủ tục hành chính" (0.74): no area
    assert match_area("Cải cách thủ tục", tolerant=True) is None
    assert match_area("NHIỆM VỤ TRỌNG TÂM", tolerant=True) is None
