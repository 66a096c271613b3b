with source as (
    select * from {{ source('raw_appraisals', 'appraisal_decisions') }}
),

renamed as (
    select
        source_file || '#' || row_number as appraisal_decision_key,
        source_file as appraisal_file,
        content_hash as appraisal_hash,
        sheet_name,
        row_number,
        self_assessment_file,
        self_assessment_hash,
        decision_text,
        decision_cell,
        decision,
        reason,
        row_status,
        issue as row_issue
    from source
)

select * from renamed
