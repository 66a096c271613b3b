"""What the PAR Index trend extract shows, read from the published warehouse's marts.

One extract is one province and one year: the internal CCHC index of its agencies that year and the
years before (mart_cchc_index, mart_cchc_index_area), the province's official indices over the years
beside it (mart_province_index_trend), the targets behind the scores, the method and how fresh the
data is.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from pipelines.forms.extract.content import ParTrend


class ExtractUnavailable(Exception):
    """Nothing to report for the province and year asked (message in Vietnamese, for the reader)."""


_AGENCIES = """
select
    idx.agency_key, idx.agency_name_vi, idx.agency_level, idx.agency_level_name_vi,
    levels.sort_order as level_order,
    idx.is_ranked, idx.rank_status_vi, idx.is_tied,
    idx.rank_in_level, idx.agencies_in_level, idx.total_score, idx.previous_year, idx.previous_total_score,
    idx.change_from_previous_year, idx.previous_rank_in_level, idx.places_gained,
    idx.targets_counted, idx.targets_met, idx.targets_without_data, idx.tasks_counted, idx.tasks_on_time,
    idx.areas_scored, idx.scored_max_points, idx.scoring_period_key, periods.period_label_vi,
    idx.is_provisional, idx.method_code
from main.mart_cchc_index as idx
left join reference.agency_levels as levels using (agency_level)
left join main.dim_period as periods on periods.period_key = idx.scoring_period_key
where idx.province_key = $province and idx.report_year = $year
order by level_order, not idx.is_ranked, idx.rank_in_level, idx.agency_name_vi, idx.agency_key
"""

_AGENCY_TREND = """
select
    agency_key,
    last(agency_name_vi order by report_year) over (partition by agency_key) as agency_name_vi,
    agency_level,
    agency_level_name_vi,
    report_year,
    total_score
from main.mart_cchc_index
where province_key = $province and report_year <= $year and is_ranked
order by report_year, agency_name_vi, agency_key
"""

_AREAS = """
select
    idx.agency_key, idx.agency_name_vi, idx.agency_level, idx.agency_level_name_vi,
    area.area_key, dim_area.area_name_vi, dim_area.sort_order as area_order,
    area.max_points, area.is_scored, area.earned_ratio, area.points,
    area.targets_counted, area.targets_met, area.tasks_counted, area.tasks_on_time
from main.mart_cchc_index_area as area
inner join main.mart_cchc_index as idx using (agency_key, report_year)
inner join main.dim_area using (area_key)
where idx.province_key = $province and idx.report_year = $year and idx.is_ranked
order by area_order, idx.agency_name_vi, idx.agency_key
"""

_PROVINCE_INDICES = """
select index_key, trend.index_name_vi,
    case when is_internal then 'CCHC nội bộ' else replace(index_key, '_', ' ') end as index_label,
    report_year, score, score_max, score_pct_of_max, rank_among_provinces, provinces_ranked,
    coalesce(national_pct_of_max, provinces_mean_pct_of_max) as national_pct_of_max, national_score,
    score_change, places_gained, is_internal, is_provisional, agencies_scored, agencies_obliged,
    agencies_compared, trend.source, indices.publisher
from main.mart_province_index_trend as trend
left join reference.indices as indices on indices.index_code = trend.index_key
where province_key = $province and report_year <= $year
order by is_internal, index_key, report_year
"""

_TARGETS = """
select
    agencies.agency_name_vi, areas.area_name_vi, areas.sort_order as area_order, targets.indicator_name_vi,
    progress.target_source, progress.comparator, progress.target_value, progress.unit, progress.actual_value,
    progress.status, progress.status_vi, targets.document_number, targets.source_sentence,
    progress.submission_file, progress.actual_cell
from main.fact_target_progress as progress
-- the targets the index counts, each indicator once (a figure shown once, as it is scored once)
inner join main.mart_cchc_index_items as items
    on items.item_kind = 'target' and items.item_key = progress.target_progress_key
inner join main.dim_target as targets using (target_key)
inner join main.dim_agency as agencies on agencies.agency_version_key = progress.agency_version_key
inner join main.dim_area as areas on areas.area_key = progress.area_key
where agencies.province_code = $province and items.report_year = $year
order by agencies.agency_name_vi, area_order, targets.indicator_name_vi, progress.target_source,
    progress.target_key
"""

_INDEX_TARGETS = """
select progress.index_key, targets.document_number, targets.source_sentence, progress.measured_on,
    progress.baseline_year, progress.target_rank, progress.actual_rank, progress.baseline_score,
    progress.actual_score, progress.status
from main.fact_index_target_progress as progress
inner join main.dim_target as targets using (target_key)
where progress.province_key = $province and progress.score_year = $year
order by progress.index_key, progress.target_key
"""

_PROVINCES_RANKED = """
select
    trend.index_key,
    replace(trend.index_key, '_', ' ') as index_label,
    trend.report_year,
    trend.province_key,
    trend.province_name_vi,
    trend.score_pct_of_max,
    trend.rank_among_provinces,
    coalesce(trend.national_pct_of_max, trend.provinces_mean_pct_of_max) as national_pct_of_max
from main.mart_province_index_trend as trend
inner join (
    select index_key, max(report_year) as report_year
    from main.mart_province_index_trend
    where province_key = $province and provinces_ranked is not null and report_year <= $year
    group by index_key
) as latest using (index_key, report_year)
where not trend.is_internal and trend.score_pct_of_max is not null
order by trend.index_key, trend.rank_among_provinces, trend.province_name_vi
"""

_COMPONENTS = """
select
    components.index_key,
    replace(components.index_key, '_', ' ') as index_label,
    components.report_year,
    components.component_name_vi,
    components.score,
    components.score_max,
    components.rank_among_provinces,
    components.provinces_scored,
    coalesce(components.national_score, components.provinces_mean_score) as national_score,
    components.gap_to_national
from main.mart_province_index_components as components
where components.province_key = $province and components.report_year <= $year
qualify components.report_year = max(components.report_year) over (partition by components.index_key)
order by components.index_key, components.gap_to_national desc, components.component_name_vi
"""

_METHODS = """
select
    idx.report_year,
    any_value(idx.method_in_force_vi) as method_in_force_vi,
    any_value(idx.method_in_force_code) as method_in_force_code,
    any_value(idx.method_code) as method_code,
    any_value(methods.citation_vi) as applied_vi
from main.mart_cchc_index as idx
left join reference.par_index_methods as methods using (method_code)
where idx.province_key = $province and idx.report_year <= $year
group by idx.report_year
order by idx.report_year
"""

_WEIGHTS = """
select weights.method_name_vi, areas.area_name_vi, weights.max_points, weights.source
from reference.par_index_weights as weights
inner join main.dim_area as areas on areas.area_key = weights.area_code
where weights.method_code in (select distinct method_code from main.mart_cchc_index where report_year = $year)
order by areas.sort_order
"""

_REPORTS = """
select
    count(*) filter (where is_expected) as expected,
    count(counted_file) filter (where is_expected) as received,
    max(counted_received_at) as latest_received_at
from main.fact_report_submission as submissions
inner join main.dim_agency as agencies using (agency_version_key)
where agencies.province_code = $province
    and submissions.period_key = (
        select any_value(scoring_period_key) from main.mart_cchc_index where report_year = $year
    )
"""

_PLANS = """
select coalesce(document_number, source_file) as plan, issued_on
from main.plan_documents
where province_code = $province and is_counted and $year between period_start_year and period_end_year
order by issued_on, plan
"""


def _frame(conn: duckdb.DuckDBPyConnection, sql: str, province: str, year: int) -> pl.DataFrame:
    params = {name: value for name, value in (("province", province), ("year", year)) if f"${name}" in sql}
    return conn.sql(sql, params=params).pl()


def available_extracts(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Every (province, year) the internal index has scores for."""
    return conn.sql(
        "select distinct province_key, report_year from main.mart_cchc_index order by all"
    ).fetchall()


def _freshness(
    conn: duckdb.DuckDBPyConnection, province: str, year: int, built_at: datetime, indices: pl.DataFrame
) -> pl.DataFrame:
    ((expected, received, latest),) = conn.sql(
        _REPORTS, params={"province": province, "year": year}
    ).fetchall()
    rows: list[tuple[str, str]] = [("Dữ liệu kho tại thời điểm", built_at.strftime("%d/%m/%Y %H:%M"))]
    rows.append(("Báo cáo đã nhận / phải nộp (kỳ tính điểm)", f"{received} / {expected}"))
    if latest is not None:
        rows.append(("Báo cáo nhận gần nhất", latest.strftime("%d/%m/%Y %H:%M")))
    for plan, issued_on in _frame(conn, _PLANS, province, year).iter_rows():
        rows.append(("Kế hoạch CCHC", f"{plan} ({issued_on:%d/%m/%Y})" if issued_on else plan))
    published = (
        indices.filter(~pl.col("is_internal")).group_by("index_name_vi").agg(pl.col("report_year").max())
    )
    for name, last_year in published.sort("index_name_vi").iter_rows():
        rows.append((f"{name}: năm công bố gần nhất có số liệu", str(last_year)))
    return pl.DataFrame(rows, schema=["label", "value"], orient="row")


def read_par_trend(conn: duckdb.DuckDBPyConnection, province: str, year: int, built_at: datetime) -> ParTrend:
    names = conn.sql(
        "select province_name_vi from main.dim_province where province_key = $province",
        params={"province": province},
    ).fetchall()
    if not names:
        raise ExtractUnavailable(f"Không có tỉnh '{province}' trong danh mục tỉnh.")
    (province_name,) = names[0]
    agencies = _frame(conn, _AGENCIES, province, year)
    indices = _frame(conn, _PROVINCE_INDICES, province, year)
    if agencies.is_empty():
        raise ExtractUnavailable(
            f"Chưa có Chỉ số CCHC nội bộ của {province_name} năm {year}: "
            "chưa có báo cáo nào được tính cho năm này."
        )
    return ParTrend(
        province_key=province,
        province_name=province_name,
        year=year,
        built_at=built_at,
        agencies=agencies,
        agency_trend=_frame(conn, _AGENCY_TREND, province, year),
        areas=_frame(conn, _AREAS, province, year),
        province_indices=indices,
        targets=_frame(conn, _TARGETS, province, year),
        index_targets=_frame(conn, _INDEX_TARGETS, province, year),
        weights=_frame(conn, _WEIGHTS, province, year),
        methods=_frame(conn, _METHODS, province, year),
        provinces=_frame(conn, _PROVINCES_RANKED, province, year),
        components=_frame(conn, _COMPONENTS, province, year),
        freshness=_freshness(conn, province, year, built_at, indices),
    )
