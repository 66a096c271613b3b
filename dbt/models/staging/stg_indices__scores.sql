with source as (
    select * from {{ source('raw_indices', 'index_scores') }}
),

renamed as (
    select
        source_file,
        content_hash,
        index_code,
        year as score_year,
        component_code,
        province_code,
        scope as place_scope,
        place_label,
        score,
        published_rank,
        source_sheet,
        source_cell,
        note as source_note,
        published_in
    from source
)

select * from renamed
