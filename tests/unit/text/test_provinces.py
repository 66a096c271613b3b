"""Province names as publishers spell them resolve to one province; mergers are followed."""

from datetime import date

import pytest

from pipelines.text.provinces import province_on, resolve_province
from pipelines.text.reference import read_seed

# Every spelling of a province found in the PCI 2005-2014 and PAPI 2011-2016 workbooks that differs
# from the seed name by more than diacritics, plus a sample of the unaccented ones.
SPELLINGS = {
    "TP.HCM": "ho_chi_minh",
    "Tp.HCM": "ho_chi_minh",
    "HCMC": "ho_chi_minh",
    "TP. Hồ Chí Minh": "ho_chi_minh",
    "TP.Hồ Chí Minh": "ho_chi_minh",
    "TP. Ho Chi Minh": "ho_chi_minh",
    "BRVT": "ba_ria_vung_tau",
    "Bà Rịa-Vũng Tàu": "ba_ria_vung_tau",
    "Ba Ria-Vung Tau": "ba_ria_vung_tau",
    "TT- Huế": "hue",
    "TT-Hue": "hue",
    "TT.Huế": "hue",
    "Thua Thien-Hue": "hue",
    "Thừa Thiên-Huế": "hue",
    "Đak Lak": "dak_lak",
    "Đăk Lăk": "dak_lak",
    "Đắc Lắk": "dak_lak",
    "Dak Lak": "dak_lak",
    "Đak Nông": "dak_nong",
    "Bắc Cạn": "bac_kan",
    "Bac Can": "bac_kan",
    "Haải Dương": "hai_duong",
    "Quàng Ngãi": "quang_ngai",
    "Hà Tây": "ha_tay",
    "Quang Tri": "quang_tri",
    "Dong Nai": "dong_nai",
    "Tỉnh Đồng Nai": "dong_nai",
    "Thanh Hoá": "thanh_hoa",
}


@pytest.mark.parametrize(("spelling", "code"), sorted(SPELLINGS.items()))
def test_publisher_spellings_resolve(spelling, code):
    assert resolve_province(spelling) == code


def test_every_seed_name_resolves_to_itself_and_labels_do_not():
    for row in read_seed("provinces"):
        assert resolve_province(row["province_name_vi"]) == row["province_code"]
    for label in ("Max", "Median", "Trung bình", "Vùng núi phía Bắc", "Tỉnh/thành phố", ""):
        assert resolve_province(label) is None


def test_63_provinces_before_2025_and_34_after():
    rows = read_seed("provinces")
    existing_2024 = {r["province_code"] for r in rows if not r["valid_to"] or r["valid_to"] >= "2024-12-31"}
    assert len(existing_2024) == 63
    assert len({r["province_code"] for r in rows if not r["valid_to"]}) == 34
    assert {province_on(code, date(2025, 7, 1)) for code in existing_2024} == {
        r["province_code"] for r in rows if not r["valid_to"]
    }


def test_mergers_are_followed_from_their_day():
    assert province_on("binh_phuoc", date(2025, 6, 30)) == "binh_phuoc"
    assert province_on("binh_phuoc", date(2025, 7, 1)) == "dong_nai"
    assert province_on("quang_binh", date(2026, 1, 1)) == "quang_tri"
    assert province_on("ha_tay", date(2010, 1, 1)) == "ha_noi"
    assert province_on("dong_nai", date(2026, 1, 1)) == "dong_nai"
