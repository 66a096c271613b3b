with source as (
    select * from {{ source('raw_plans', 'plan_documents') }}
),

renamed as (
    select
        source_file,
        content_hash,
        ingested_at,
        make_timestamp(modified_ns // 1000) as received_at,
        archived_path,
        status as parse_status,
        rejection_reason,
        document_number,
        document_symbol,
        title as plan_title,
        issuer_raw,
        issuer_agency_key,
        province_code,
        place as issue_place,
        issued_on,
        period_start_year,
        period_end_year,
        parent_plan_kind,
        parent_plan_number,
        parent_plan_issued_on,
        target_count,
        task_count
    from source
)

select * from renamed
