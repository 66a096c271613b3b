with source as (
    select * from {{ ref('areas') }}
),

renamed as (
    select
        area_code,
        appendix_numeral,
        area_name_vi,
        area_name_en,
        legacy_heading_vi,
        is_plan_area,
        is_par_index_field,
        sort_order
    from source
)

select * from renamed
