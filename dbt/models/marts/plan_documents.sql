with documents as (
    select * from {{ ref('stg_plans__documents') }}
),

version_counts as (
    {{ version_counts(ref('stg_plans__document_versions')) }}
),

final as (
    select
        documents.*,
        coalesce(version_counts.version_count, 1) as version_count,
        documents.parse_status = 'parsed' as is_parsed
    from documents
    left join version_counts using (source_file)
)

select * from final
