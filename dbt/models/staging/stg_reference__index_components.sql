with source as (
    select * from {{ ref('index_components') }}
),

renamed as (
    select
        index_code,
        component_code,
        measure,
        first_year,
        last_year,
        component_name_vi,
        component_name_en,
        score_max,
        source as component_source
    from source
)

select * from renamed
