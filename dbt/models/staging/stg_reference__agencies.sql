with source as (
    select * from {{ ref('agencies') }}
),

renamed as (
    select
        agency_key || '@' || strftime(valid_from, '%Y-%m-%d') as agency_version_key,
        agency_key,
        agency_name_vi,
        role_code,
        province_code,
        nullif(parent_agency_key, '') as parent_agency_key,
        cast(valid_from as date) as valid_from_on,
        cast(valid_to as date) as valid_to_on,
        note as version_note
    from source
)

select * from renamed
