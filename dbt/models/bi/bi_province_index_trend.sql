{{ config(alias='province_index_trend') }}
{#- Xu hướng các chỉ số của tỉnh: published indices beside the internal one, one row per province × year × index. -#}
with trend as (
    select * from {{ ref('mart_province_index_trend') }}
),

final as (
    select
        province_index_trend_key,
        report_year,
        province_key,
        province_name_vi,
        index_key,
        index_name_vi,
        score,
        score_max,
        score_pct_of_max,
        rank_among_provinces,
        provinces_ranked,
        provinces_mean_score,
        national_score,
        score_change,
        places_gained,
        is_internal,
        is_provisional,
        agencies_scored,
        agencies_obliged,
        agencies_compared,
        source
    from trend
)

select * from final
