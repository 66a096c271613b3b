with source as (
    select * from {{ source('raw_indices', 'index_file_versions') }}
),

renamed as (
    select
        source_file,
        content_hash,
        ingested_at,
        archived_path,
        status as load_status,
        rejection_reason
    from source
)

select * from renamed
