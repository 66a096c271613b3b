with source as (
    select * from {{ ref('provinces') }}
),

renamed as (
    select
        province_code,
        province_name_vi,
        cast(valid_from as date) as valid_from_on,
        cast(valid_to as date) as valid_to_on
    from source
)

select * from renamed
