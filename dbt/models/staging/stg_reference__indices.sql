with source as (
    select * from {{ ref('indices') }}
),

renamed as (
    select
        index_code,
        index_name_vi,
        index_name_en,
        publisher,
        source as index_source
    from source
)

select * from renamed
