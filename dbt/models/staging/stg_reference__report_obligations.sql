with source as (
    select * from {{ ref('report_obligations') }}
),

renamed as (
    select
        province_code,
        agency_level,
        first_year,
        last_year,
        coalesce(
            list_transform(string_split(nullif(excluded_role_codes, ''), '|'), lambda role: trim(role)), []
        ) as excluded_role_codes,
        source as obligation_source
    from source
)

select * from renamed
