with statuses as (
    select * from {{ ref('stg_reports__task_status') }}
),

submissions as (
    select * from {{ ref('report_submissions') }}
),

final as (
    select
        statuses.source_file || '#' || statuses.sheet_row as report_task_status_key,
        statuses.source_file,
        submissions.agency_key,
        submissions.period_key,
        submissions.submission_status,
        submissions.is_counted,
        statuses.plan_task_key,
        statuses.stt,
        statuses.task_status,
        statuses.status_text,
        statuses.completed_on,
        statuses.row_status,
        statuses.row_issue,
        statuses.clerk_note,
        statuses.sheet_name,
        statuses.status_cell
    from statuses
    inner join submissions using (source_file)
)

select * from final
