"""The self-assessment form an agency gets is the criteria set in force for it, in the decision's order,
with the scores the warehouse gives from its data (read from a real DuckDB file made here with the
columns the extract reads); an agency no set scores is told so, not handed an empty form."""

from __future__ import annotations

from datetime import datetime

import duckdb
import openpyxl
import pytest

from pipelines.extracts.self_assessment import assessment_form, write_self_assessment_template

SCHEMA = """
create table main.dim_criterion (
    criterion_key varchar, criteria_set_key varchar, set_name_vi varchar, citation_vi varchar,
    criterion_code varchar, criterion_name_vi varchar, max_points double, scoring_rule_vi varchar,
    evidence_vi varchar, is_scored boolean, is_survey boolean, sort_order integer
);
insert into main.dim_criterion values
    ('s|1.2.1', 's', 'Sở', 'QĐ 1', '1.2.1', 'Báo cáo đúng hạn', 1, 'Đủ, đúng hạn: 1', null, true, false, 3),
    ('s|1', 's', 'Sở', 'QĐ 1', '1', 'Chỉ đạo, điều hành', 2, 'Tổng', null, false, false, 1),
    ('s|1.1', 's', 'Sở', 'QĐ 1', '1.1', 'Tuyên truyền', 1, 'Có: 1', 'Kế hoạch', true, false, 2),
    ('x|1', 'x', 'Xã', 'QĐ 2', '1', 'Khác', 1, 'Có: 1', null, true, false, 1);

create table main.fact_criterion_score (
    agency_key varchar, assessed_year integer, criteria_set_key varchar, agency_name_vi varchar,
    criterion_key varchar, data_score double, data_basis_vi varchar
);
insert into main.fact_criterion_score values
    ('dong_nai.so_noi_vu', 2024, 's', 'Sở Nội vụ', 's|1.1', null, null),
    ('dong_nai.so_noi_vu', 2024, 's', 'Sở Nội vụ', 's|1.2.1', 0, '3/4 báo cáo đúng hạn (75 %): 0/1'),
    ('dong_nai.so_noi_vu', 2025, 's', 'Sở Nội vụ', 's|1.2.1', 1, '4/4 báo cáo đúng hạn (100 %): 1/1');
"""


@pytest.fixture
def published(tmp_path):
    path = tmp_path / "cchc_published.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute(SCHEMA)
    with duckdb.connect(str(path), read_only=True) as conn:
        yield conn


def test_the_form_is_the_set_in_order_with_the_years_data_scores(published):
    form = assessment_form(published, "dong_nai.so_noi_vu", 2024)
    assert (form.agency_name, form.criteria_set_key, form.set_name, form.citation) == (
        "Sở Nội vụ",
        "s",
        "Sở",
        "QĐ 1",
    )
    assert [(line.code, line.is_scored, line.data_score, line.data_basis) for line in form.lines] == [
        ("1", False, None, None),
        ("1.1", True, None, None),
        ("1.2.1", True, 0, "3/4 báo cáo đúng hạn (75 %): 0/1"),
    ]
    assert [line.code for line in form.lines if line.is_open] == ["1.1"]


def test_an_agency_no_set_scores_is_told_so(published, tmp_path):
    with pytest.raises(ValueError, match=r"No criteria set scores 'dong_nai\.so_tu_phap' in 2024"):
        assessment_form(published, "dong_nai.so_tu_phap", 2024)
    path = write_self_assessment_template(
        published, "dong_nai.so_noi_vu", 2025, tmp_path / "out", datetime(2026, 1, 5)
    )
    assert path.name == "tu-danh-gia-dong_nai.so_noi_vu-2025.xlsx"
    assert openpyxl.load_workbook(path)["Tự đánh giá"]["A2"].value == "Cơ quan: Sở Nội vụ"
