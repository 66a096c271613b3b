with statuses as (
    select * from {{ ref('stg_reports__task_status') }}
),

submissions as (
    select * from {{ ref('report_submissions') }}
),

task_keys as (
    select * from {{ ref('int_plan_task_keys') }}
),

counted_tasks as (
    select plan_task_key from {{ ref('plan_tasks') }}
),

-- a template printed the task's lasting key, or (made before it) the task's code in one plan file: either
-- finds the task in whichever version of its plan counts now
keyed as (
    select
        statuses.*,
        coalesce(by_code.plan_task_key, by_key.plan_task_key) as plan_task_key
    from statuses
    left join task_keys as by_code on by_code.task_code = statuses.task_code
    left join (select distinct plan_task_key from task_keys) as by_key on by_key.plan_task_key = statuses.task_code
),

linked as (
    select
        *,
        case
            when plan_task_key in (select plan_task_key from counted_tasks) then 'linked'
            when plan_task_key is not null then 'not_in_counted_plan'
            else 'unknown_task'
        end as task_link
    from keyed
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
        statuses.task_code,
        statuses.task_link,
        case statuses.task_link
            when 'not_in_counted_plan' then 'nhiệm vụ không còn trong kế hoạch hiện hành'
            when 'unknown_task' then 'mã nhiệm vụ không có trong kế hoạch nào đã nhận'
        end as task_link_issue_vi,
        statuses.stt,
        statuses.task_status,
        statuses.status_text,
        statuses.completed_on,
        statuses.row_status,
        statuses.row_issue,
        statuses.clerk_note,
        statuses.sheet_name,
        statuses.status_cell
    from linked as statuses
    inner join submissions using (source_file)
)

select * from final
