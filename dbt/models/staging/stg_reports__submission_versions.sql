with source as (
    select * from {{ source('raw_reports', 'report_submission_versions') }}
),

renamed as (
    select
        source_file,
        content_hash,
        received_at,
        ingested_at,
        archived_path,
        status as load_status,
        rejection_reason,
        agency_key,
        period_key
    from source
)

select * from renamed
