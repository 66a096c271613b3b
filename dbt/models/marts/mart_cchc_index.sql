{#- The internal CCHC index (Chỉ số CCHC nội bộ) per agency × year: the points of its scored fields
    (mart_cchc_index_area) over the points those fields could give, out of 100. Only an agency with a counted
    report for the scoring period is scored and ranked (competition ranking among agencies of the same level
    and province: equal scores share a rank, the next rank skips); one without is listed with no score (null,
    not 0) and no rank ("chưa báo cáo – không xếp hạng"). The change is from its previous ranked year. -#}
with areas as (
    select * from {{ ref('mart_cchc_index_area') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

submissions as (
    select * from {{ ref('fact_report_submission') }}
),

methods as (
    select * from {{ ref('stg_reference__par_index_methods') }}
),

totals as (
    select
        agency_key,
        report_year,
        scoring_period_key,
        is_provisional,
        method_code,
        bool_or(has_counted_report) as has_counted_report,
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
        round(100 * totals.earned_points / totals.scored_max_points, 2) as total_score,
        methods.method_code as method_in_force_code,
        methods.citation_vi as method_in_force_vi
    from totals
    inner join periods on periods.period_key = totals.scoring_period_key
    left join methods on totals.report_year between methods.first_year and methods.last_year
    inner join agencies
        on agencies.agency_key = totals.agency_key
        and {{ valid_on('agencies', 'periods.period_end_on') }}
),

reported as (
    select
        versioned.*,
        coalesce(submissions.is_expected, false) as is_obliged
    from versioned
    left join submissions
        on submissions.agency_key = versioned.agency_key
        and submissions.period_key = versioned.scoring_period_key
),

ranked as (
    select
        *,
        has_counted_report as is_ranked,
        case when has_counted_report then
            rank() over (
                partition by report_year, province_key, agency_level, has_counted_report order by total_score desc
            )
        end as rank_in_level,
        case when has_counted_report then
            count(*) over (partition by report_year, province_key, agency_level, has_counted_report, total_score) > 1
        end as is_tied,
        count(*) filter (where has_counted_report) over (partition by report_year, province_key, agency_level)
            as agencies_in_level
    from reported
),

previous as (
    select
        agency_key,
        report_year,
        lag(report_year) over by_agency as previous_year,
        lag(total_score) over by_agency as previous_total_score,
        lag(rank_in_level) over by_agency as previous_rank_in_level
    from ranked
    where is_ranked
    window by_agency as (partition by agency_key order by report_year)
),

final as (
    select
        ranked.agency_key || '|' || ranked.report_year as cchc_index_key,
        ranked.*,
        case when ranked.is_ranked then 'xếp hạng' else 'chưa báo cáo – không xếp hạng' end as rank_status_vi,
        previous.previous_year,
        previous.previous_total_score,
        round(ranked.total_score - previous.previous_total_score, 2) as change_from_previous_year,
        previous.previous_rank_in_level,
        previous.previous_rank_in_level - ranked.rank_in_level as places_gained
    from ranked
    left join previous using (agency_key, report_year)
)

select * from final
