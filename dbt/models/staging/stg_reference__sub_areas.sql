with source as (
    select * from {{ ref('sub_areas') }}
),

renamed as (
    select
        sub_area_code,
        area_code,
        sub_area_name_vi,
        sub_area_name_en
    from source
)

select * from renamed
