with source as (
    select * from {{ ref('comparators') }}
),

renamed as (
    select
        comparator,
        symbol_vi,
        meaning_vi,
        meaning_en,
        met_when
    from source
)

select * from renamed
