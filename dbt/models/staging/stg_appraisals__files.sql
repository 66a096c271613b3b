with source as (
    select * from {{ source('raw_appraisals', 'appraisal_files') }}
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
        province_key,
        assessed_year,
        appraiser,
        score_count,
        decision_count,
        warnings as load_warnings
    from source
)

select * from renamed
