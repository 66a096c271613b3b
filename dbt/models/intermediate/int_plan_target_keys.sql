{#- The lasting key of every target of every parsed plan file: the plan (int_plan_versions), what the target
    measures (indicator, level, year; for an unclassified one, its sentence's words) and which occurrence it
    is. A copy, a re-encoding or a correction of the plan keeps it; a corrected figure stays the same target. -#}
with targets as (
    select * from {{ ref('stg_plans__targets') }}
),

versions as (
    select * from {{ ref('int_plan_versions') }}
),

measured as (
    select
        targets.target_code,
        targets.source_file,
        targets.target_seq,
        versions.plan_key,
        md5(concat_ws(
            '|',
            targets.indicator_code,
            coalesce(targets.agency_level, ''),
            coalesce(cast(targets.target_year as varchar), ''),
            case when targets.indicator_code = 'unclassified' then {{ plain_words('targets.source_sentence') }} end
        )) as measure_hash
    from targets
    inner join versions using (source_file, content_hash)
),

final as (
    select
        target_code,
        source_file,
        {{ lasting_key('#t', 'measure_hash', 'target_seq') }} as plan_target_key
    from measured
)

select * from final
