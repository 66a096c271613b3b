with source as (
    select * from {{ source('raw_appraisals', 'appraisal_scores') }}
),

renamed as (
    select
        source_file || '#' || row_number as appraisal_score_key,
        source_file as appraisal_file,
        content_hash as appraisal_hash,
        sheet_name,
        row_number,
        agency_key,
        criterion_code,
        self_assessment_file,
        self_assessment_hash,
        score_text,
        score_cell,
        appraised_score,
        reason,
        row_status,
        issue as row_issue
    from source
)

select * from renamed
