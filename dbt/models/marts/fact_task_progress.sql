{#- One row per appendix task × lead agency × reporting period of the plan's years: the status the
    counted report gives (a department's report covers the tasks its own units lead) and whether the
    task is on time. Timing: done_on_time, done_late, overdue (not done and past its due date at the
    period's end), ongoing (not done, not yet due, or recurring without a date), cancelled,
    not_reported (no status in a counted report), not_due (the period's cut-off has not passed). -#}
with tasks as (
    select * from {{ ref('plan_tasks') }}
),

leads as (
    select * from {{ ref('plan_task_agencies') }}
    where agency_role = 'lead' and agency_key is not null
),

documents as (
    select * from {{ ref('plan_documents') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

statuses as (
    select * from {{ ref('report_task_status') }}
    where is_counted and row_status in ('accepted', 'flagged') and task_status is not null
),

scoped as (
    select distinct
        tasks.plan_task_key,
        leads.agency_key,
        periods.period_key,
        periods.period_end_on,
        periods.period_sequence,
        periods.is_closed,
        tasks.area_key,
        tasks.sub_area_key,
        tasks.due_on,
        tasks.recurrence
    from tasks
    inner join leads using (plan_task_key)
    inner join documents using (source_file)
    inner join periods on periods.report_year between documents.period_start_year and documents.period_end_year
),

versioned as (
    select
        scoped.*,
        agencies.agency_version_key,
        agencies.parent_agency_key
    from scoped
    inner join agencies
        on agencies.agency_key = scoped.agency_key
        and {{ valid_on('agencies', 'scoped.period_end_on') }}
),

reported as (
    select
        versioned.*,
        statuses.task_status,
        statuses.completed_on,
        statuses.source_file as submission_file,
        statuses.status_cell
    from versioned
    left join statuses
        on statuses.plan_task_key = versioned.plan_task_key
        and statuses.period_key = versioned.period_key
        and statuses.agency_key in (versioned.agency_key, versioned.parent_agency_key)
    qualify row_number() over (
        partition by versioned.plan_task_key, versioned.agency_key, versioned.period_key
        order by statuses.agency_key = versioned.agency_key desc, statuses.status_cell
    ) = 1
),

timed as (
    select
        *,
        case
            when not is_closed then 'not_due'
            when task_status is null then 'not_reported'
            when task_status = 'cancelled' then 'cancelled'
            when task_status = 'done' and (due_on is null or completed_on is null or completed_on <= due_on)
                then 'done_on_time'
            when task_status = 'done' then 'done_late'
            when due_on is not null and due_on < period_end_on then 'overdue'
            else 'ongoing'
        end as timing
    from reported
),

final as (
    select
        plan_task_key || '|' || agency_key || '|' || period_key as task_progress_key,
        plan_task_key,
        agency_key,
        agency_version_key,
        period_key,
        area_key,
        sub_area_key,
        due_on,
        recurrence,
        task_status,
        completed_on,
        timing,
        case timing
            when 'not_due' then 'chưa đến kỳ'
            when 'not_reported' then 'chưa báo cáo'
            when 'cancelled' then 'không thực hiện'
            when 'done_on_time' then 'hoàn thành đúng hạn'
            when 'done_late' then 'hoàn thành trễ hạn'
            when 'overdue' then 'quá hạn'
            else 'đang thực hiện'
        end as timing_vi,
        submission_file,
        status_cell
    from timed
)

select * from final
