with source as (
    select * from {{ ref('province_successions') }}
),

renamed as (
    select
        predecessor_province_code,
        successor_province_code,
        cast(effective_on as date) as effective_on,
        legal_basis
    from source
)

select * from renamed
