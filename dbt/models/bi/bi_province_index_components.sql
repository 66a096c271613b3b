{{ config(alias='province_index_components') }}
{#- Chỉ số thành phần của tỉnh so với bình quân cả nước, one row per province × year × index × component. -#}
with components as (
    select * from {{ ref('mart_province_index_components') }}
),

final as (
    select
        province_index_component_key,
        report_year,
        province_key,
        province_name_vi,
        index_key,
        index_name_vi,
        component_code,
        component_name_vi,
        score,
        score_max,
        score_pct_of_max,
        rank_among_provinces,
        provinces_scored,
        provinces_mean_score,
        national_score,
        gap_to_national
    from components
)

select * from final
