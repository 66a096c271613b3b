{#- One row per index file. Which file counts: a byte-identical copy of an earlier file is a duplicate;
    among distinct loaded files for the same index and years (a corrected edition sent again) the one
    received last counts and the earlier ones are superseded (kept, never deleted). -#}
with files as (
    select * from {{ ref('stg_indices__files') }}
),

version_counts as (
    {{ version_counts(ref('stg_indices__file_versions')) }}
),

copies as (
    select
        *,
        {{ copy_number("load_status = 'loaded'") }} as copy_number
    from files
),

ranked as (
    select
        copies.*,
        case
            when load_status = 'loaded' and copy_number = 1
                then row_number() over (
                    partition by index_codes, first_year, last_year, load_status = 'loaded' and copy_number = 1
                    order by received_at desc, source_file desc
                )
            else 1
        end as recency
    from copies
),

final as (
    select
        ranked.* exclude (copy_number, recency),
        coalesce(version_counts.version_count, 1) as version_count,
        ranked.load_status = 'loaded' as is_loaded,
        {{ file_status('ranked.load_status', 'counted') }} as file_status,
        ranked.load_status = 'loaded' and ranked.copy_number = 1 and ranked.recency = 1 as is_counted
    from ranked
    left join version_counts using (source_file)
)

select * from final
