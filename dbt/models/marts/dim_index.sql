with indices as (
    select * from {{ ref('stg_reference__indices') }}
),

final as (
    select
        index_code as index_key,
        index_name_vi,
        index_name_en,
        publisher,
        index_source
    from indices
)

select * from final
