with source as (
    select * from {{ ref('agency_roles') }}
),

renamed as (
    select
        role_code,
        role_name_vi,
        level as agency_level,
        is_group
    from source
)

select * from renamed
