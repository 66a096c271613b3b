{#- Each province's official indices by component (PCI's sub-indices, PAPI's dimensions, …), one row per
    province × year × index × component, beside the country: the national figure where one was published,
    and the mean of the provinces in the same published table (30 provinces or more, so a file naming a few
    provinces never makes a "national" mean). What the leadership extract's field chart reads. -#}
with scores as (
    select * from {{ ref('fact_index_score') }}
    where component_code <> 'total' and score is not null
),

indices as (
    select * from {{ ref('dim_index') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

components as (
    select * from {{ ref('dim_index_component') }}
),

national as (
    select index_key, score_year, component_code, any_value(score) as national_score
    from scores
    where place_scope = 'national'
    group by index_key, score_year, component_code
),

published_tables as (
    select
        index_key,
        score_year,
        component_code,
        count(*) as provinces_scored,
        avg(score) as provinces_mean_score
    from scores
    where place_scope = 'province'
    group by index_key, score_year, component_code
    having count(*) >= 30
),

final as (
    select
        scores.province_key
        || '|' || scores.score_year
        || '|' || scores.index_key
        || '|' || scores.component_code as province_index_component_key,
        scores.province_key,
        provinces.province_name_vi,
        scores.index_key,
        indices.index_name_vi,
        scores.score_year as report_year,
        scores.component_code,
        components.component_name_vi,
        scores.score,
        scores.score_max,
        scores.score_pct_of_max,
        scores.rank_among_provinces,
        published_tables.provinces_scored::integer as provinces_scored,
        round(published_tables.provinces_mean_score, 2) as provinces_mean_score,
        national.national_score,
        round(scores.score - coalesce(national.national_score, published_tables.provinces_mean_score), 2)
            as gap_to_national
    from scores
    inner join published_tables using (index_key, score_year, component_code)
    inner join indices using (index_key)
    left join components using (index_component_key)
    left join national using (index_key, score_year, component_code)
    left join provinces on provinces.province_key = scores.province_key
    where scores.place_scope = 'province'
)

select * from final
