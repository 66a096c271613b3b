{{ config(alias='task_progress') }}
{#- Tiến độ nhiệm vụ: fact_task_progress with the task's text, the agency and period names. -#}
with progress as (
    select * from {{ ref('fact_task_progress') }}
),

tasks as (
    select * from {{ ref('plan_tasks') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

areas as (
    select * from {{ ref('dim_area') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

final as (
    select
        progress.task_progress_key,
        periods.report_year,
        periods.period_key,
        periods.period_label_vi,
        agencies.province_code as province_key,
        agencies.agency_key,
        agencies.agency_name_vi,
        agencies.agency_level_name_vi,
        areas.area_name_vi,
        tasks.document_number,
        tasks.stt,
        tasks.task,
        tasks.task_output,
        tasks.deadline_text,
        progress.due_on,
        progress.task_status,
        progress.completed_on,
        progress.timing,
        progress.timing_vi,
        progress.submission_file,
        progress.status_cell
    from progress
    inner join tasks using (plan_task_key)
    inner join agencies using (agency_version_key)
    inner join areas on areas.area_key = progress.area_key
    inner join periods using (period_key)
)

select * from final
