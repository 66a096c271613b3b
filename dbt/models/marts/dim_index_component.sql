with components as (
    select * from {{ ref('stg_reference__index_components') }}
),

final as (
    select
        index_code || ':' || component_code || ':' || first_year as index_component_key,
        index_code as index_key,
        component_code,
        first_year,
        last_year,
        component_name_vi,
        component_name_en,
        score_max,
        component_code = 'total' as is_total,
        component_source
    from components
    -- the rank rows of the seed tell the reader which header holds the rank; the fact carries it
    where measure = 'score'
)

select * from final
