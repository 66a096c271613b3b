with source as (
    select * from {{ ref('agency_successions') }}
),

renamed as (
    select
        predecessor_agency_key,
        successor_agency_key,
        cast(effective_on as date) as effective_on,
        change_kind,
        basis as change_basis
    from source
)

select * from renamed
