{#- Targets that name an index, one row per target × year it holds. A province plan's target is measured
    against the province's published figure in fact_index_score: "PCI thuộc nhóm 20 dẫn đầu" against the
    rank (the one printed, else the rank by score), "Chỉ số CCHC cải thiện so với năm 2023" (unit
    baseline_year) against the rank of the baseline year: met when the rank is better. A target of an
    agency below the province ("chỉ số CCHC của phường cải thiện so với năm 2025") is about the agency's
    own assessment, which the Bộ Nội vụ does not publish: it is measured against the agency's internal
    index (mart_cchc_index), met when its score is higher than the baseline year's. A year without a
    figure on either side is no_data, not a failure. -#}
with targets as (
    select * from {{ ref('dim_target') }}
    where is_index_target and target_value is not null
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

scores as (
    select * from {{ ref('fact_index_score') }}
    where component_code = 'total' and place_scope = 'province'
),

internal_index as (
    select * from {{ ref('mart_cchc_index') }}
),

issuer_levels as (
    select agency_key as issuer_agency_key, any_value(agency_level) as issuer_level
    from agencies
    group by agency_key
),

years as (
    select
        targets.*,
        indicators.index_key,
        case
            when targets.unit = 'baseline_year' and coalesce(issuer_levels.issuer_level, 'province') <> 'province'
                then 'internal_score'
            else 'published_rank'
        end as measured_on,
        case when targets.unit = 'baseline_year' then targets.target_value::integer end as baseline_year,
        unnest(range(targets.first_year, targets.last_year + 1)) as score_year
    from targets
    inner join indicators using (indicator_code)
    left join issuer_levels using (issuer_agency_key)
),

measured as (
    select
        years.*,
        actual.index_score_key,
        actual.published_in,
        actual.is_rank_derived,
        case when years.measured_on = 'published_rank' then actual.rank_among_provinces end as actual_rank,
        case when years.measured_on = 'published_rank' then actual.score else own.total_score end as actual_score,
        case
            when years.unit = 'baseline_year' then baseline.rank_among_provinces
            else years.target_value
        end as target_rank,
        own_baseline.total_score as baseline_score
    from years
    left join scores as actual
        on years.measured_on = 'published_rank'
        and actual.index_key = years.index_key
        and actual.province_key = years.province_key
        and actual.score_year = years.score_year
    left join scores as baseline
        on years.measured_on = 'published_rank'
        and baseline.index_key = years.index_key
        and baseline.province_key = years.province_key
        and baseline.score_year = years.baseline_year
    left join internal_index as own
        on years.measured_on = 'internal_score'
        and own.agency_key = years.issuer_agency_key
        and own.report_year = years.score_year
    left join internal_index as own_baseline
        on years.measured_on = 'internal_score'
        and own_baseline.agency_key = years.issuer_agency_key
        and own_baseline.report_year = years.baseline_year
),

final as (
    select
        target_key || '|' || score_year as index_target_progress_key,
        target_key,
        index_key,
        province_key,
        issuer_agency_key,
        score_year::integer as score_year,
        measured_on,
        comparator,
        baseline_year,
        target_rank,
        actual_rank,
        baseline_score,
        actual_score,
        is_rank_derived,
        case
            when measured_on = 'internal_score' and (actual_score is null or baseline_score is null) then 'no_data'
            when measured_on = 'internal_score' then if(actual_score > baseline_score, 'met', 'not_met')
            when actual_rank is null or target_rank is null then 'no_data'
            when comparator in ('<', '>') and actual_rank < target_rank then 'met'
            when coalesce(comparator, '<=') in ('<=', '=') and actual_rank <= target_rank then 'met'
            else 'not_met'
        end as status,
        index_score_key,
        published_in
    from measured
)

select * from final
