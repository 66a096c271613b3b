with source as (
    select * from {{ source('raw_indices', 'index_files') }}
),

renamed as (
    select
        source_file,
        content_hash,
        parser_version,
        ingested_at,
        make_timestamp(modified_ns // 1000) as received_at,
        archived_path,
        status as load_status,
        rejection_reason,
        index_codes,
        first_year,
        last_year,
        score_count,
        warnings as load_warnings,
        unresolved_labels
    from source
)

select * from renamed
