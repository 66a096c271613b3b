with source as (
    select * from {{ source('raw_self_assessments', 'self_assessment_scores') }}
),

renamed as (
    select
        source_file || '#' || row_number as self_score_row_key,
        source_file,
        content_hash,
        sheet_name,
        row_number,
        criterion_code,
        score_text,
        score_cell,
        self_score,
        explanation,
        explanation_cell,
        row_status,
        issue as row_issue
    from source
)

select * from renamed
