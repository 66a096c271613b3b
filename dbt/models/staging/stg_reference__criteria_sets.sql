with source as (
    select * from {{ ref('criteria_sets') }}
),

renamed as (
    select
        criteria_set_key,
        province_code,
        agency_level,
        first_year,
        last_year,
        set_name_vi,
        citation_vi,
        source_url
    from source
)

select * from renamed
