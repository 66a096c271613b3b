with source as (
    select * from {{ ref('agency_levels') }}
),

renamed as (
    select
        agency_level,
        agency_level_name_vi,
        sort_order
    from source
)

select * from renamed
