with task_agencies as (
    select * from {{ ref('stg_plans__task_agencies') }}
),

tasks as (
    select * from {{ ref('plan_tasks') }}
),

counted as (
    select task_agencies.*, tasks.plan_task_key
    from task_agencies
    inner join tasks using (task_code)
),

final as (
    select
        plan_task_key || '|' || agency_role || '|' || agency_position as plan_task_agency_key,
        plan_task_key,
        agency_role,
        agency_position,
        raw_name,
        agency_key,
        resolution_status,
        group_role,
        candidate_keys
    from counted
)

select * from final
