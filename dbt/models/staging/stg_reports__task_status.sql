with source as (
    select * from {{ source('raw_reports', 'report_task_status') }}
),

renamed as (
    select
        source_file,
        content_hash,
        sheet_name,
        row_number as sheet_row,
        task_code,
        stt,
        status_text,
        status_cell,
        status_code as task_status,
        completed_on,
        row_status,
        issue as row_issue,
        note as clerk_note
    from source
)

select * from renamed
