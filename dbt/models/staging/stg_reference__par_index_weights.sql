with source as (
    select * from {{ ref('par_index_weights') }}
),

renamed as (
    select
        method_code,
        method_name_vi,
        first_year,
        area_code as area_key,
        max_points,
        source as weight_source
    from source
)

select * from renamed
