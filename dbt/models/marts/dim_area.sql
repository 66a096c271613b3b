with areas as (
    select * from {{ ref('stg_reference__areas') }}
),

sub_areas as (
    select * from {{ ref('stg_reference__sub_areas') }}
),

sub_area_counts as (
    select
        area_code,
        count(*) as sub_area_count
    from sub_areas
    group by area_code
),

final as (
    select
        areas.area_code as area_key,
        areas.area_name_vi,
        areas.area_name_en,
        areas.appendix_numeral,
        areas.legacy_heading_vi,
        areas.is_plan_area,
        areas.is_par_index_field,
        coalesce(sub_area_counts.sub_area_count, 0) as sub_area_count,
        areas.sort_order
    from areas
    left join sub_area_counts on sub_area_counts.area_code = areas.area_code
)

select * from final
