{#- Each province's index trend, one row per province × year × index: the official indices as published
    (PAR INDEX, SIPAS, PCI, PAPI totals from fact_index_score, with the national average of the year where
    one was published) beside the internal CCHC index (CCHC_NOI_BO: the mean total_score of the province's
    agencies in mart_cchc_index), so leadership reads them on one axis of years. -#}
with scores as (
    select * from {{ ref('fact_index_score') }}
    where component_code = 'total'
),

indices as (
    select * from {{ ref('dim_index') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

internal_index as (
    select * from {{ ref('mart_cchc_index') }}
),

national as (
    select index_key, score_year, any_value(score) as national_score
    from scores
    where place_scope = 'national'
    group by index_key, score_year
),

published as (
    select
        scores.province_key,
        scores.index_key,
        indices.index_name_vi,
        scores.score_year as report_year,
        scores.score,
        scores.score_max,
        scores.rank_among_provinces as rank_among_provinces,
        national.national_score,
        false as is_internal,
        false as is_provisional,
        cast(null as integer) as agencies_scored,
        scores.published_in as source
    from scores
    inner join indices using (index_key)
    left join national using (index_key, score_year)
    where scores.place_scope = 'province'
),

internal as (
    select
        province_key,
        'CCHC_NOI_BO' as index_key,
        'Chỉ số CCHC nội bộ (bình quân các cơ quan)' as index_name_vi,
        report_year,
        round(avg(total_score), 2) as score,
        100.0 as score_max,
        cast(null as bigint) as rank_among_provinces,
        cast(null as double) as national_score,
        true as is_internal,
        bool_or(is_provisional) as is_provisional,
        count(*)::integer as agencies_scored,
        'mart_cchc_index' as source
    from internal_index
    group by province_key, report_year
),

unioned as (
    select * from published
    union all
    select * from internal
),

final as (
    select
        province_key || '|' || unioned.report_year || '|' || unioned.index_key as province_index_trend_key,
        province_key,
        provinces.province_name_vi,
        unioned.index_key,
        unioned.index_name_vi,
        unioned.report_year,
        unioned.score,
        unioned.score_max,
        round(100 * unioned.score / unioned.score_max, 2) as score_pct_of_max,
        unioned.rank_among_provinces,
        unioned.national_score,
        round(unioned.score - lag(unioned.score) over by_series, 2) as score_change,
        lag(unioned.rank_among_provinces) over by_series - unioned.rank_among_provinces as places_gained,
        unioned.is_internal,
        unioned.is_provisional,
        unioned.agencies_scored,
        unioned.source
    from unioned
    left join provinces using (province_key)
    window by_series as (partition by province_key, unioned.index_key order by unioned.report_year)
)

select * from final
