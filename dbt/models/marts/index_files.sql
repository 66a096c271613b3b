with files as (
    select * from {{ ref('stg_indices__files') }}
),

version_counts as (
    {{ version_counts(ref('stg_indices__file_versions')) }}
),

final as (
    select
        files.*,
        coalesce(version_counts.version_count, 1) as version_count,
        files.load_status = 'loaded' as is_loaded
    from files
    left join version_counts using (source_file)
)

select * from final
