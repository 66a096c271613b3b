with source as (
    select * from {{ ref('agency_aliases') }}
),

renamed as (
    select
        alias as agency_alias,
        role_code
    from source
)

select * from renamed
