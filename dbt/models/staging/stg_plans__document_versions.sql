with source as (
    select * from {{ source('raw_plans', 'plan_document_versions') }}
),

renamed as (
    select
        source_file,
        content_hash,
        ingested_at,
        archived_path,
        status as parse_status,
        rejection_reason
    from source
)

select * from renamed
