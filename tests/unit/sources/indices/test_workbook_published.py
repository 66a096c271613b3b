"""The PCI and PAPI workbooks exactly as VCCI and CECODES published them load, by meaning.

Every expected figure below was read by hand from the file, at the cell named beside it (opened in
LibreOffice; the side-by-side years 2010-2014 put each figure right of its own province column).
"""

import pytest

from pipelines.sources.indices.workbook import read_index_workbook
from pipelines.text.provinces import resolve_province
from tests import FIXTURES_DIR

FIXTURES = FIXTURES_DIR / "indices"
WORKBOOKS = sorted(path.name for path in FIXTURES.glob("*.xls*"))

# (file, year, province, total score, rank, entry costs, transparency) — with the cells they come from
PCI_BY_HAND = [
    # PCI_2005.xls 'Xếp hạng theo chỉ số PCI' B7/C7; 'Bảng tóm tắt chỉ số' F33, H33
    ("PCI_2005.xls", 2005, "dong_nai", 64.14084504441425, 6, 6.519546702069992, 5.191384649409898),
    # B2/C2; F29, H29
    ("PCI_2005.xls", 2005, "binh_duong", 76.81896532924489, 1, 7.651695308758702, 6.047912333224286),
    # PCI_2007.xls 'Tóm tắt các chỉ số PCI ' P17 (đã có trọng số, not O17 chưa có), B17, E17, G17
    ("PCI_2007.xls", 2007, "dong_nai", 62.32673, 16, 8.46001, 5.797135),
    # P2, B2, E2, G2
    ("PCI_2007.xls", 2007, "binh_duong", 77.19708, 1, 7.945427, 7.443229),
    # PCI_2009.xls 'Tong Hop' M39, B39, D39, F39
    ("PCI_2009.xls", 2009, "dong_nai", 63.1597, 18, 7.876163, 6.800829),
    # M37, B37, D37, F37
    ("PCI_2009.xls", 2009, "binh_duong", 74.00554, 2, 8.375481, 7.551344),
    # PCI_2010.xls 'Tong hop' (pairs, unaccented names): W26, Y26, C32, G16
    ("PCI_2010.xls", 2010, "dong_nai", 59.487033, 25, 6.635089, 6.260473),
    # W6, Y6, C45, G6
    ("PCI_2010.xls", 2010, "binh_duong", 65.721368, 5, 6.34426, 6.570841),
    # PCI_2013.xlsx 'Summary_VN' W41, X41, C48, G58
    ("PCI_2013.xlsx", 2013, "dong_nai", 56.92656, 40, 7.117717, 4.931279),
    # W31, X31, C63, G17
    ("PCI_2013.xlsx", 2013, "binh_duong", 58.15393, 30, 6.202514, 5.949479),
    # PCI_2014.xlsx 'Summary_VN' (a sheet python-calamine cannot decode): W43, X43, C59, G12
    ("PCI_2014.xlsx", 2014, "dong_nai", 57.25858, 42, 7.40651655197144, 6.47484302520752),
]

# PAPI_2011-2016.xlsx '2015_PAPI': AF (Chỉ số PAPI), D (Tham gia…), I (Công khai, minh bạch); rows 50, 34
PAPI_BY_HAND = [
    ("dong_nai", 35.63484239578247, 4.777342319488525, 5.084136962890625),
    ("da_nang", 36.68828296661377, 5.068375110626221, 5.476704120635986),
]

# Row labels with figures that name no province: statistics rows and repeated headers.
NOT_PROVINCES = {
    "PAPI_2011-2016.xlsx": {"Điểm cao nhất"},
    "PCI_2006.xls": {"MIN", "MAX"},
    "PCI_2008.xls": {"Xếp hạng"},
    "PCI_2010.xls": {"Thứ tự"},
    "PCI_2011.xls": {"Thứ tự"},
    "PCI_2012.xlsx": {"Thứ tự"},
    "PCI_2013.xlsx": {"Thứ tự"},
    "PCI_2014.xlsx": {"Thứ tự"},
}


@pytest.fixture(scope="module")
def readings():
    return {name: read_index_workbook(FIXTURES / name) for name in WORKBOOKS}


def _figures(reading, year, province):
    return {
        score.component_code: score
        for score in reading.scores
        if score.year == year and score.province_code == province
    }


@pytest.mark.parametrize(("name", "year", "province", "total", "rank", "entry", "transparency"), PCI_BY_HAND)
def test_pci_figures_read_by_hand(readings, name, year, province, total, rank, entry, transparency):
    figures = _figures(readings[name], year, province)
    assert figures["total"].score == pytest.approx(total)
    assert figures["total"].rank == rank
    assert figures["entry_costs"].score == pytest.approx(entry)
    assert figures["transparency"].score == pytest.approx(transparency)


@pytest.mark.parametrize(("province", "total", "participation", "transparency"), PAPI_BY_HAND)
def test_papi_2015_figures_read_by_hand(readings, province, total, participation, transparency):
    figures = _figures(readings["PAPI_2011-2016.xlsx"], 2015, province)
    assert figures["total"].score == pytest.approx(total)
    assert figures["participation"].score == pytest.approx(participation)
    assert figures["transparency"].score == pytest.approx(transparency)
    assert figures["total"].cell == {"dong_nai": "AF50", "da_nang": "AF34"}[province]


def test_every_workbook_loads_every_year_it_publishes(readings):
    years = {name: reading.years for name, reading in readings.items()}
    assert years == {
        "PAPI_2011-2016.xlsx": [2011, 2012, 2013, 2014, 2015, 2016],
        **{f"PCI_{year}.{'xlsx' if year >= 2012 else 'xls'}": [year] for year in range(2005, 2015)},
    }


def test_pci_publishes_all_provinces_and_its_sub_indices_each_year(readings):
    for year in range(2005, 2015):
        name = f"PCI_{year}.{'xlsx' if year >= 2012 else 'xls'}"
        scores = readings[name].scores
        totals = {s.province_code for s in scores if s.component_code == "total" and s.score is not None}
        # 42 provinces were surveyed in 2005; 64 with Hà Tây until 2008; 63 after
        assert len(totals) == {2005: 42, 2006: 64, 2007: 64, 2008: 64}.get(year, 63), year
        components = {s.component_code for s in scores} - {"total"}
        assert len(components) >= 9, (year, components)


def test_ranks_are_taken_where_published_and_only_there(readings):
    def ranked(name):
        return sum(1 for s in readings[name].scores if s.rank is not None)

    # 2005 prints its ranks on a sheet of their own; 2006 and 2008 print none
    assert ranked("PCI_2005.xls") == 42
    assert ranked("PCI_2006.xls") == ranked("PCI_2008.xls") == 0
    assert ranked("PCI_2014.xlsx") == 63


def test_unweighted_pci_is_not_taken_for_the_total(readings):
    # PCI 2008 'Tổng hợp' prints "Chưa có trọng số" beside "Có trọng số"
    totals = [s for s in readings["PCI_2008.xls"].scores if s.component_code == "total"]
    assert {s.cell[0] for s in totals} == {"Y"}


def test_the_stale_english_sheet_of_2014_is_skipped_and_named(readings):
    warnings = readings["PCI_2014.xlsx"].warnings
    assert any("'Summary'" in warning and "2013" in warning for warning in warnings)
    assert {s.sheet for s in readings["PCI_2014.xlsx"].scores} == {"Summary_VN"}


def test_papi_totals_summed_over_blanks_are_left_out_with_a_warning(readings):
    reading = readings["PAPI_2011-2016.xlsx"]
    assert not _figures(reading, 2014, "bac_giang")
    assert any("Bắc Giang" in warning and "AF17" in warning for warning in reading.warnings)


def test_province_resolution_is_total(readings):
    for name, reading in readings.items():
        assert all(resolve_province(s.label) == s.province_code for s in reading.scores), name
        assert {item.label for item in reading.unresolved} == NOT_PROVINCES.get(name, set()), name
