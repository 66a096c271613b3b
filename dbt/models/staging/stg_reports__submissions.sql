with source as (
    select * from {{ source('raw_reports', 'report_submissions') }}
),

renamed as (
    select
        source_file,
        content_hash,
        parser_version,
        received_at,
        ingested_at,
        archived_path,
        status as load_status,
        rejection_reason,
        agency_key,
        period_key,
        template_version,
        submitter,
        phone,
        email,
        reported_on,
        warnings as load_warnings
    from source
)

select * from renamed
