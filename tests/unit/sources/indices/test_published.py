"""PAR INDEX and SIPAS values reported in the press: loaded whole, national figures as such."""

import pytest

from pipelines.sources.indices.published import read_published_csv
from pipelines.sources.indices.scores import NATIONAL, IndexFileRejected
from tests import FIXTURES_DIR

PUBLISHED = FIXTURES_DIR / "indices" / "par_index_published.csv"
HEADER = "index,year,province,score,rank,note,source\n"


def test_the_published_values_load_with_rank_only_lines_and_national_averages():
    reading = read_published_csv(PUBLISHED)
    figures = {(s.index_code, s.year, s.province_code): s for s in reading.scores}
    assert len(reading.scores) == 43
    assert reading.index_codes == ["PAR_INDEX", "SIPAS"]
    # line 31: PAR_INDEX,2021,Đồng Nai,83.3304,55,giảm 21 bậc,…
    dong_nai = figures[("PAR_INDEX", 2021, "dong_nai")]
    assert (dong_nai.score, dong_nai.rank, dong_nai.cell) == (83.3304, 55, "dòng 31")
    assert dong_nai.source == (
        "Trang cải cách hành chính tỉnh Đồng Nai (caicachhanhchinh.dongnai.gov.vn), tin số 392"
    )
    # line 10: chỉ có thứ hạng (rank only)
    assert (
        figures[("PAR_INDEX", 2013, "dong_nai")].score,
        figures[("PAR_INDEX", 2013, "dong_nai")].rank,
    ) == (
        None,
        17,
    )
    average = figures[("PAR_INDEX", 2013, None)]
    assert (average.scope, average.score, average.label) == (NATIONAL, 77.56, "(national average)")
    assert figures[("SIPAS", 2019, None)].scope == NATIONAL


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ("PAR_INDEX,2022,Đồng Nai,82.92,51,,a\nPAR_INDEX,2022,Đồng Nai,8x,51,,b\n", "dòng 3: điểm '8x'"),
        ("PAR_INDEX,2022,Xứ Đoài,82.92,51,,a\n", "dòng 2: 'Xứ Đoài' không phải tên tỉnh"),
        ("PCII,2022,Đồng Nai,60,5,,a\n", "dòng 2: chỉ số 'PCII'"),
        ("PAR_INDEX,22,Đồng Nai,82.92,51,,a\n", "dòng 2: năm '22'"),
        ("PAR_INDEX,2022,Đồng Nai,,,,a\n", "không có điểm cũng không có thứ hạng"),
        (
            "PAR_INDEX,2022,Đồng Nai,82.92,51,,a\nPAR_INDEX,2022,Dong Nai,82.9,51,,b\n",
            "dòng 3: trùng với dòng 2",
        ),
    ],
)
def test_a_bad_line_rejects_the_file_naming_the_line(tmp_path, lines, reason):
    path = tmp_path / "par.csv"
    path.write_text(HEADER + lines, encoding="utf-8")
    with pytest.raises(IndexFileRejected, match=reason):
        read_published_csv(path)


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "par.csv"
    path.write_text("index,year,tinh,score\nPAR_INDEX,2022,Đồng Nai,82.92\n", encoding="utf-8")
    with pytest.raises(IndexFileRejected, match="Thiếu cột province, rank"):
        read_published_csv(path)
