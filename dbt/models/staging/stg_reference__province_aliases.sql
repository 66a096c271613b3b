with source as (
    select * from {{ ref('province_aliases') }}
),

renamed as (
    select
        alias as province_alias,
        province_code,
        source as alias_source
    from source
)

select * from renamed
