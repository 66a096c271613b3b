with source as (
    select * from {{ source('raw_reviews', 'review_decisions') }}
),

renamed as (
    select
        source_file || '#' || row_number as review_decision_key,
        source_file as review_file,
        content_hash as review_hash,
        sheet_name,
        row_number,
        report_file,
        report_hash,
        decision_text,
        decision_cell,
        decision,
        reason,
        row_status,
        issue as row_issue
    from source
)

select * from renamed
