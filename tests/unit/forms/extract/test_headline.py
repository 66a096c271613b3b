"""The extract's opening sentences, for a hand-made province: every figure in them is written here as a
reader would work it out from the rows below."""

import datetime

import polars as pl

from pipelines.forms.extract.content import INTERNAL_INDEX, ParTrend
from pipelines.forms.extract.headline import headline

SO = "Cấp sở (sở, ban, ngành cấp tỉnh)"
HUYEN = "Cấp huyện (đến 30/6/2025)"
AGENCY_COLUMNS = (
    "agency_name_vi",
    "agency_level_name_vi",
    "is_ranked",
    "rank_in_level",
    "total_score",
    "targets_met",
    "targets_counted",
    "targets_without_data",
    "tasks_on_time",
    "tasks_counted",
)
INDEX_COLUMNS = (
    "index_key",
    "index_label",
    "report_year",
    "is_internal",
    "score_pct_of_max",
    "rank_among_provinces",
    "provinces_ranked",
    "score_change",
    "agencies_scored",
    "agencies_obliged",
    "agencies_compared",
)


def _trend(agencies: list[tuple], indices: list[tuple]) -> ParTrend:
    empty = pl.DataFrame()
    return ParTrend(
        province_key="ha_giang",
        province_name="Hà Giang",
        year=2024,
        built_at=datetime.datetime(2025, 3, 1),
        agencies=pl.DataFrame(agencies, schema=AGENCY_COLUMNS, orient="row"),
        agency_trend=empty,
        areas=empty,
        province_indices=pl.DataFrame(indices, schema=INDEX_COLUMNS, orient="row"),
        targets=empty,
        index_targets=empty,
        weights=empty,
        methods=empty,
        provinces=empty,
        components=empty,
        freshness=empty,
    )


def _internal(year: int, mean: float, change: float | None, scored: int, obliged: int, compared: int | None):
    return (INTERNAL_INDEX, "CCHC nội bộ", year, True, mean, None, None, change, scored, obliged, compared)


def test_the_year_in_sentences_before_any_table():
    trend = _trend(
        [
            ("Sở A", SO, True, 1, 80.5, 5, 8, 1, 2, 3),
            ("Sở B", SO, True, 1, 80.5, 4, 8, 0, 1, 1),  # tied with Sở A
            ("Sở C", SO, True, 3, 40.25, 1, 8, 3, 0, 2),
            ("UBND huyện D", HUYEN, True, 1, 60.0, 6, 10, 2, 3, 3),
            ("Sở E", SO, False, None, None, None, None, None, None, None),  # sent nothing
        ],
        [
            ("PAPI", "PAPI", 2016, False, 58.1, 40.0, 63, None, None, None, None),
            ("PCI", "PCI", 2021, False, 66.2, 12.0, 63, None, None, None, None),
            ("SIPAS", "SIPAS", 2023, False, 85.5, None, None, None, None, None, None),  # no rank published
            _internal(2023, 50.0, None, 3, 5, None),
            _internal(2024, 65.31, 3.5, 4, 5, 2),
        ],
    )
    assert headline(trend) == [
        # 4 ranked of 5 obliged; Sở E is the 1 missing
        "Năm 2024: 4/5 cơ quan đã gửi báo cáo được tính điểm; 1 cơ quan chưa gửi, không được xếp hạng.",
        # A and B share rank 1; C is rank 3, the last
        "Cấp sở: Sở A và Sở B đồng dẫn đầu với 80,50 điểm; thấp nhất là Sở C với 40,25 điểm"
        " (3 cơ quan được xếp hạng).",
        "Cấp huyện: UBND huyện D dẫn đầu với 60,00 điểm (1 cơ quan được xếp hạng).",
        # (80.5 + 80.5 + 40.25 + 60) / 4 = 65.31; the like-for-like change as the mart gives it
        "Bình quân Chỉ số CCHC nội bộ: 65,31 điểm, trên 4 cơ quan đã báo cáo; tăng 3,50 điểm so với năm"
        " 2023, so sánh cùng 2 cơ quan có điểm cả hai năm.",
        # met 5+4+1+6 = 16 of 8+8+8+10 = 34, without data 1+0+3+2 = 6; tasks 2+1+0+3 = 6 of 3+1+2+3 = 9
        "Các cơ quan đã báo cáo đạt 16/34 chỉ tiêu được tính (6 chỉ tiêu không có số liệu, tính 0 điểm) và"
        " hoàn thành đúng hạn 6/9 nhiệm vụ đến hạn.",
        # PAPI 2016 is 8 years behind 2024 (old after 2); PCI 2021 is 3 behind; SIPAS 2023 has no rank
        "Các chỉ số công bố lần gần nhất: PAPI năm 2016 hạng 40/63 (cũ); PCI năm 2021 hạng 12/63 (cũ);"
        " SIPAS năm 2023 85,50 điểm (thang 100); cũ: trước năm báo cáo hơn 2 năm.",
    ]


def test_a_first_year_and_a_year_with_nothing_to_compare_say_so():
    everyone = [("Sở A", SO, True, 1, 70.0, 2, 2, 0, 0, 0), ("Sở B", SO, True, 2, 30.0, 1, 2, 0, 0, 0)]
    first = _trend(everyone, [_internal(2024, 50.0, None, 2, 2, None)])
    assert headline(first)[0] == "Năm 2024: cả 2 cơ quan đã gửi báo cáo được tính điểm."
    assert headline(first)[2] == (
        "Bình quân Chỉ số CCHC nội bộ: 50,00 điểm, trên 2 cơ quan đã báo cáo; năm đầu tiên có chỉ số, chưa có"
        " năm trước để so sánh."
    )
    # 2022 had other agencies: no agency scored in both years, so no change is drawn
    apart = _trend(everyone, [_internal(2022, 40.0, None, 1, 2, None), _internal(2024, 50.0, None, 2, 2, 0)])
    assert headline(apart)[2].endswith(
        "không so sánh được với năm 2022: không cơ quan nào có điểm cả hai năm."
    )
    assert len(headline(apart)) == 4  # no official index: no sentence about one
