with source as (
    select * from {{ source('raw_self_assessments', 'self_assessment_files') }}
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
        agency_key,
        assessed_year,
        criteria_set_key,
        submitter,
        phone,
        email,
        score_count,
        evidence_count,
        warnings as load_warnings
    from source
)

select * from renamed
