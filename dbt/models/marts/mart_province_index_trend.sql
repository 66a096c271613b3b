{#- Each province's index trend, one row per province × year × index: the official indices as published
    (PAR INDEX, SIPAS, PCI, PAPI totals from fact_index_score, with the national average of the year where
    one was published) beside the internal CCHC index (CCHC_NOI_BO: the mean total_score of the province's
    agencies in mart_cchc_index), so leadership reads them on one axis of years. The internal mean is over the
    agencies ranked (a counted report for the scoring period) with its coverage beside it (agencies_scored of
    agencies_obliged); its change is like for like (the agencies ranked in both years) or empty. -#}
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

submissions as (
    select * from {{ ref('fact_report_submission') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

national as (
    select index_key, score_year, any_value(score) as national_score
    from scores
    where place_scope = 'national'
    group by index_key, score_year
),

-- how many provinces a published table ranks, and their mean, where it is the full table (30 rows or
-- more): a file with the province's own row and a few others cannot say either
provinces_published as (
    select
        index_key,
        score_year,
        count(rank_among_provinces) as provinces_ranked,
        avg(score) as provinces_mean_score
    from scores
    where place_scope = 'province'
    group by index_key, score_year
    having count(*) >= 30
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
        provinces_published.provinces_ranked::integer as provinces_ranked,
        round(provinces_published.provinces_mean_score, 2) as provinces_mean_score,
        national.national_score,
        false as is_internal,
        false as is_provisional,
        cast(null as integer) as agencies_scored,
        cast(null as integer) as agencies_obliged,
        cast(null as double) as like_for_like_change,
        cast(null as integer) as agencies_compared,
        scores.published_in as source
    from scores
    inner join indices using (index_key)
    left join national using (index_key, score_year)
    left join provinces_published using (index_key, score_year)
    where scores.place_scope = 'province'
),

internal_years as (
    select
        province_key,
        report_year,
        any_value(scoring_period_key) as scoring_period_key,
        bool_or(is_provisional) as is_provisional,
        round(avg(total_score) filter (where is_ranked), 2) as score,
        count(*) filter (where is_ranked)::integer as agencies_scored
    from internal_index
    group by province_key, report_year
),

obliged as (
    select
        internal_years.province_key,
        internal_years.report_year,
        count(distinct submissions.agency_key)::integer as agencies_obliged
    from internal_years
    inner join submissions
        on submissions.period_key = internal_years.scoring_period_key
        and submissions.is_expected
    inner join agencies
        on agencies.agency_version_key = submissions.agency_version_key
        and agencies.province_code = internal_years.province_key
    group by internal_years.province_key, internal_years.report_year
),

previous_internal as (
    select
        province_key,
        report_year,
        lag(report_year) over (partition by province_key order by report_year) as previous_year
    from internal_years
    where agencies_scored > 0
),

-- like for like: the mean of the agencies ranked in both years, this year against the previous one
like_for_like as (
    select
        previous_internal.province_key,
        previous_internal.report_year,
        round(avg(this_year.total_score) - avg(last_year.total_score), 2) as score_change,
        count(*)::integer as agencies_compared
    from previous_internal
    inner join internal_index as this_year
        on this_year.province_key = previous_internal.province_key
        and this_year.report_year = previous_internal.report_year
        and this_year.is_ranked
    inner join internal_index as last_year
        on last_year.agency_key = this_year.agency_key
        and last_year.report_year = previous_internal.previous_year
        and last_year.is_ranked
    group by previous_internal.province_key, previous_internal.report_year
),

internal as (
    select
        internal_years.province_key,
        'CCHC_NOI_BO' as index_key,
        'Chỉ số CCHC nội bộ (bình quân các cơ quan đã báo cáo)' as index_name_vi,
        internal_years.report_year,
        internal_years.score,
        100.0 as score_max,
        cast(null as bigint) as rank_among_provinces,
        cast(null as integer) as provinces_ranked,
        cast(null as double) as provinces_mean_score,
        cast(null as double) as national_score,
        true as is_internal,
        internal_years.is_provisional,
        internal_years.agencies_scored,
        coalesce(obliged.agencies_obliged, 0) as agencies_obliged,
        like_for_like.score_change as like_for_like_change,
        -- none in both years: 0 (không so sánh được); no previous year at all: empty
        case when previous_internal.previous_year is not null then
            coalesce(like_for_like.agencies_compared, 0)
        end as agencies_compared,
        'mart_cchc_index' as source
    from internal_years
    left join obliged using (province_key, report_year)
    left join previous_internal using (province_key, report_year)
    left join like_for_like using (province_key, report_year)
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
        unioned.provinces_ranked,
        unioned.provinces_mean_score,
        round(100 * unioned.provinces_mean_score / unioned.score_max, 2) as provinces_mean_pct_of_max,
        unioned.national_score,
        round(100 * unioned.national_score / unioned.score_max, 2) as national_pct_of_max,
        case
            when unioned.is_internal then unioned.like_for_like_change
            else round(unioned.score - lag(unioned.score) over by_series, 2)
        end as score_change,
        lag(unioned.rank_among_provinces) over by_series - unioned.rank_among_provinces as places_gained,
        unioned.is_internal,
        unioned.is_provisional,
        unioned.agencies_scored,
        unioned.agencies_obliged,
        unioned.agencies_compared,
        unioned.source
    from unioned
    left join provinces using (province_key)
    window by_series as (partition by province_key, unioned.index_key order by unioned.report_year)
)

select * from final
