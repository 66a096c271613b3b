-- Each agency's name in its latest version, for labelling keys that point at it.
with agencies as (
    select * from {{ ref('stg_reference__agencies') }}
),

final as (
    select
        agency_key,
        agency_name_vi
    from agencies
    qualify row_number() over (partition by agency_key order by valid_from_on desc) = 1
)

select * from final
