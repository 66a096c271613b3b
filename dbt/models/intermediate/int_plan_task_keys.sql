{#- The lasting key of every task of every parsed plan file: the plan (int_plan_versions), the task's field
    and its words (case, spacing and Unicode form aside), and which occurrence of those words it is. A copy
    of the plan, the same plan in another text encoding or a correction that leaves a task's words alone
    gives the task the same key, so reports filed against any version stay linked; a task whose words were
    corrected is a new task. -#}
with tasks as (
    select * from {{ ref('stg_plans__tasks') }}
),

versions as (
    select * from {{ ref('int_plan_versions') }}
),

worded as (
    select
        tasks.task_code,
        tasks.source_file,
        tasks.task_seq,
        versions.plan_key,
        md5(concat_ws(
            '|',
            coalesce(tasks.area_code, ''),
            {{ plain_words('tasks.task') }},
            {{ plain_words('tasks.activity') }}
        )) as words_hash
    from tasks
    inner join versions using (source_file, content_hash)
),

final as (
    select
        task_code,
        source_file,
        {{ lasting_key('#', 'words_hash', 'task_seq') }} as plan_task_key
    from worded
)

select * from final
