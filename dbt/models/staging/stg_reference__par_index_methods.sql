with source as (
    select * from {{ ref('par_index_methods') }}
),

renamed as (
    select
        method_code,
        method_name_vi,
        first_year,
        coalesce(lead(first_year) over (order by first_year) - 1, 9999) as last_year,
        citation_vi
    from source
)

select * from renamed
