with source as (
    select * from {{ ref('indicators') }}
),

renamed as (
    select
        indicator_code,
        indicator_name_vi,
        indicator_name_en,
        nullif(unit, '') as unit,
        nullif(area_code, '') as area_code,
        nullif(sub_area_code, '') as sub_area_code,
        is_rate,
        nullif(direction, '') as direction,
        nullif(index_code, '') as index_code,
        keywords as match_keywords,
        source as indicator_source
    from source
)

select * from renamed
