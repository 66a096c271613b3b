with documents as (
    select * from {{ ref('stg_plans__documents') }}
),

versions as (
    select * from {{ ref('stg_plans__document_versions') }}
),

version_counts as (
    select
        source_file,
        count(*) as version_count
    from versions
    group by source_file
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
