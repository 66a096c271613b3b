{#- Who habitually over-scores itself: per agency, over the years the council appraised it fully, the gap
    between what it claimed and what was appraised (points; positive = claimed more). An agency over-scores
    habitually when it claimed more in every one of at least two appraised years. -#}
with official as (
    select * from {{ ref('mart_cchc_official_index') }}
    where self_minus_appraised is not null
),

final as (
    select
        agency_key,
        arg_max(agency_name_vi, assessed_year) as agency_name_vi,
        arg_max(agency_level, assessed_year) as agency_level,
        arg_max(province_key, assessed_year) as province_key,
        count(*) as years_appraised,
        min(assessed_year) as first_year,
        max(assessed_year) as last_year,
        round(avg(self_minus_appraised), 2) as mean_gap,
        max(self_minus_appraised) as largest_gap,
        count(*) filter (where self_minus_appraised > 0) as years_over_scored,
        count(*) >= 2 and count(*) filter (where self_minus_appraised > 0) = count(*) as is_habitual_over_scorer,
        string_agg(
            assessed_year || ': ' || {{ vi_number('self_minus_appraised') }}, '; ' order by assessed_year
        ) as gaps_by_year_vi
    from official
    group by agency_key
)

select * from final
