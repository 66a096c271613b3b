{#- The official CCHC index (Chỉ số CCHC chính thức) per agency × year of the scoring round: the points the
    council appraised over the points the set gives, out of 100, the survey's points included when they
    were typed (else the index is over the criteria alone, says so, and is not ranked: one basis per
    level). Only an agency whose every criterion was appraised has an index, and a rank (competition
    ranking among the agencies of its province and level: equal scores share a rank); the others show how far the appraisal has gone, with
    no index (null, not 0). Beside: what the agency claimed, the gap claimed − appraised (none for an
    agency that claimed nothing), the internal
    estimate the warehouse computes from targets and tasks (mart_cchc_index), and last year's index. -#}
with scores as (
    select * from {{ ref('fact_criterion_score') }}
),

internal as (
    select * from {{ ref('mart_cchc_index') }}
),

totals as (
    select
        assessment_key,
        agency_key,
        agency_version_key,
        agency_name_vi,
        agency_level,
        province_code as province_key,
        assessed_year,
        criteria_set_key,
        any_value(self_assessment_status) as self_assessment_status,
        count(*) filter (where not is_survey) as criteria_count,
        count(*) filter (where not is_survey and is_appraised) as criteria_appraised,
        sum(max_points) filter (where not is_survey) as criteria_max_points,
        coalesce(sum(max_points) filter (where is_survey), 0) as survey_max_points,
        round(sum(claimed_score) filter (where not is_survey), 2) as claimed_points,
        round(sum(appraised_score) filter (where not is_survey), 2) as appraised_points,
        round(sum(appraised_score) filter (where is_survey), 2) as survey_points,
        coalesce(bool_and(is_appraised) filter (where is_survey), false) as has_survey,
        count(*) filter (where evidence_status in ('missing', 'findings')) as criteria_with_evidence_gaps,
        count(*) filter (where adjustment < 0) as criteria_cut
    from scores
    group by all
),

indexed as (
    select
        *,
        criteria_appraised = criteria_count as is_fully_appraised,
        case when criteria_appraised = criteria_count then
            round(
                100 * (appraised_points + case when has_survey then survey_points else 0 end)
                / (criteria_max_points + case when has_survey then survey_max_points else 0 end),
                2
            )
        end as official_index,
        case when criteria_appraised = criteria_count then round(claimed_points - appraised_points, 2) end
            as self_minus_appraised
    from totals
),

comparable as (
    select
        *,
        -- one basis for the whole level: the survey's points, where the set has a survey, are in
        official_index is not null and (has_survey or survey_max_points = 0) as is_ranked
    from indexed
),

ranked as (
    select
        *,
        case when is_ranked then
            rank() over (partition by assessed_year, province_key, agency_level, is_ranked order by official_index desc)
        end as rank_in_level,
        count(*) filter (where is_ranked) over (partition by assessed_year, province_key, agency_level)
            as agencies_ranked
    from comparable
),

final as (
    select
        ranked.*,
        case
            when not ranked.is_fully_appraised
                then 'chưa thẩm định xong (' || ranked.criteria_appraised || '/' || ranked.criteria_count || ' tiêu chí)'
            when ranked.has_survey then 'đã thẩm định, gồm điểm điều tra xã hội học'
            else 'đã thẩm định, chưa có điểm điều tra xã hội học (tính trên '
                || {{ vi_number('ranked.criteria_max_points') }} || ' điểm tiêu chí; chưa xếp hạng)'
        end as index_status_vi,
        internal.total_score as internal_estimate,
        lag(ranked.official_index) over by_agency as previous_official_index,
        round(ranked.official_index - lag(ranked.official_index) over by_agency, 2) as change_from_previous_year
    from ranked
    left join internal
        on internal.agency_key = ranked.agency_key
        and internal.report_year = ranked.assessed_year
    window by_agency as (partition by ranked.agency_key order by ranked.assessed_year)
)

select * from final
