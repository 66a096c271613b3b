{{ config(alias='self_assessment_gap') }}
{#- Who over-scores itself, year after year: mart_self_assessment_gap. -#}
with gaps as (
    select * from {{ ref('mart_self_assessment_gap') }}
),

final as (
    select
        agency_key,
        agency_name_vi,
        province_key,
        years_appraised,
        mean_gap,
        years_over_scored,
        is_habitual_over_scorer,
        gaps_by_year_vi
    from gaps
)

select * from final
