with indicators as (
    select * from {{ ref('stg_reference__indicators') }}
),

final as (
    select
        indicator_code,
        indicator_name_vi,
        indicator_name_en,
        unit,
        area_code as area_key,
        sub_area_code as sub_area_key,
        is_rate,
        direction,
        index_code as index_key,
        indicator_source
    from indicators
)

select * from final
