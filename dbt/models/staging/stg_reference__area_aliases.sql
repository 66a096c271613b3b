with source as (
    select * from {{ ref('area_aliases') }}
),

renamed as (
    select
        alias as area_alias,
        area_code,
        sub_area_code,
        source as alias_source
    from source
)

select * from renamed
