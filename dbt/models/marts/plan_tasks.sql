with tasks as (
    select * from {{ ref('stg_plans__tasks') }}
),

documents as (
    select * from {{ ref('plan_documents') }}
    where is_counted
),

task_keys as (
    select * from {{ ref('int_plan_task_keys') }}
),

final as (
    select
        task_keys.plan_task_key,
        tasks.task_code,
        tasks.source_file,
        documents.document_number,
        documents.issuer_agency_key,
        documents.province_code,
        documents.period_start_year,
        tasks.task_seq,
        tasks.stt,
        tasks.area_code as area_key,
        tasks.sub_area_code as sub_area_key,
        tasks.section_heading,
        tasks.objective,
        tasks.task,
        tasks.activity,
        tasks.task_output,
        tasks.lead_raw,
        tasks.coordinating_raw,
        tasks.deadline_text,
        tasks.due_on,
        tasks.recurrence,
        tasks.is_low_confidence,
        tasks.area_placed_by,
        tasks.source_line,
        tasks.source_page,
        tasks.table_row,
        tasks.content_hash
    from tasks
    inner join documents using (source_file, content_hash)
    inner join task_keys using (task_code)
)

select * from final
