with sub_areas as (
    select * from {{ ref('stg_reference__sub_areas') }}
),

final as (
    select
        sub_area_code as sub_area_key,
        area_code as area_key,
        sub_area_name_vi,
        sub_area_name_en
    from sub_areas
)

select * from final
