{#- The internal CCHC index (Chỉ số CCHC nội bộ) per agency × year: the points of its scored fields
    (mart_cchc_index_area) over the points those fields could give, out of 100; its rank among agencies of
    the same level and province that year; and the change from its previous scored year. -#}
with areas as (
    select * from {{ ref('mart_cchc_index_area') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

totals as (
    select
        agency_key,
        report_year,
        scoring_period_key,
        is_provisional,
        method_code,
        count(*) filter (where is_scored)::integer as areas_scored,
        sum(max_points) filter (where is_scored) as scored_max_points,
        round(sum(points), 2) as earned_points,
        sum(targets_counted)::integer as targets_counted,
        sum(targets_met)::integer as targets_met,
        sum(targets_without_data)::integer as targets_without_data,
        sum(tasks_counted)::integer as tasks_counted,
        sum(tasks_on_time)::integer as tasks_on_time
    from areas
    group by agency_key, report_year, scoring_period_key, is_provisional, method_code
),

versioned as (
    select
        totals.*,
        agencies.agency_version_key,
        agencies.agency_name_vi,
        agencies.agency_level,
        agencies.agency_level_name_vi,
        agencies.province_code as province_key,
        agencies.current_agency_key,
        round(100 * totals.earned_points / totals.scored_max_points, 2) as total_score
    from totals
    inner join periods on periods.period_key = totals.scoring_period_key
    inner join agencies
        on agencies.agency_key = totals.agency_key
        and {{ valid_on('agencies', 'periods.period_end_on') }}
),

ranked as (
    select
        *,
        rank() over (partition by report_year, province_key, agency_level order by total_score desc) as rank_in_level,
        count(*) over (partition by report_year, province_key, agency_level) as agencies_in_level
    from versioned
),

final as (
    select
        agency_key || '|' || report_year as cchc_index_key,
        *,
        lag(report_year) over by_agency as previous_year,
        lag(total_score) over by_agency as previous_total_score,
        round(total_score - lag(total_score) over by_agency, 2) as change_from_previous_year,
        lag(rank_in_level) over by_agency as previous_rank_in_level,
        lag(rank_in_level) over by_agency - rank_in_level as places_gained
    from ranked
    window by_agency as (partition by agency_key order by report_year)
)

select * from final
