with task_agencies as (
    select * from {{ ref('stg_plans__task_agencies') }}
),

tasks as (
    select * from {{ ref('plan_tasks') }}
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
    from task_agencies
    semi join tasks using (plan_task_key)
)

select * from final
