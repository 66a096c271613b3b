with task_agencies as (
    select * from {{ ref('stg_plans__task_agencies') }}
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
)

select * from final
