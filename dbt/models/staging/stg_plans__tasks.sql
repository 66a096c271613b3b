with source as (
    select * from {{ source('raw_plans', 'plan_tasks') }}
),

renamed as (
    select
        source_file || '#' || task_seq as task_code,
        source_file,
        content_hash,
        task_seq,
        stt,
        area_code,
        sub_area_code,
        section_heading,
        objective,
        task,
        activity,
        output as task_output,
        lead_raw,
        coordinating_raw,
        deadline_text,
        due_on,
        recurrence,
        is_low_confidence,
        area_placed_by,
        source_line,
        source_page,
        table_row
    from source
)

select * from renamed
