{#- Targets that name a published index ("PCI thuộc nhóm 20 địa phương dẫn đầu"), one row per target ×
    year it holds, measured against the province's published rank in fact_index_score (the rank the
    publisher printed, else the rank by score). A year the index has not been published for the
    province is no_data, not a failure. -#}
with targets as (
    select * from {{ ref('dim_target') }}
    where is_index_target and target_value is not null
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

scores as (
    select * from {{ ref('fact_index_score') }}
    where component_code = 'total' and place_scope = 'province'
),

years as (
    select
        targets.*,
        indicators.index_key,
        unnest(range(targets.first_year, targets.last_year + 1)) as score_year
    from targets
    inner join indicators using (indicator_code)
),

final as (
    select
        years.target_key || '|' || years.score_year as index_target_progress_key,
        years.target_key,
        years.index_key,
        years.province_key,
        years.score_year::integer as score_year,
        years.comparator,
        years.target_value as target_rank,
        scores.rank_among_provinces as actual_rank,
        scores.score as actual_score,
        scores.is_rank_derived,
        case
            when scores.rank_among_provinces is null then 'no_data'
            when years.comparator = '<' and scores.rank_among_provinces < years.target_value then 'met'
            when coalesce(years.comparator, '<=') in ('<=', '=') and scores.rank_among_provinces <= years.target_value
                then 'met'
            else 'not_met'
        end as status,
        scores.index_score_key,
        scores.published_in
    from years
    left join scores
        on scores.index_key = years.index_key
        and scores.province_key = years.province_key
        and scores.score_year = years.score_year
)

select * from final
