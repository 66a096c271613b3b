with source as (
    select * from {{ source('raw_plans', 'plan_task_agencies') }}
),

renamed as (
    select
        source_file || '#' || task_seq as task_code,
        agency_role,
        position as agency_position,
        raw_name,
        agency_key,
        resolution_status,
        group_role,
        candidate_keys
    from source
)

select * from renamed
