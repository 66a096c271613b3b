{#- One row per review file in raw/reviews: counted (loaded: its decision rows decide, the latest review
    per report file standing) or rejected with the reason; how many of its rows decide something. -#}
with files as (
    select * from {{ ref('stg_reviews__files') }}
),

decisions as (
    select
        review_file as source_file,
        count(*) filter (where row_status = 'accepted') as decision_count,
        count(*) filter (where row_status = 'rejected') as rejected_row_count,
        count(*) filter (where decision = 'returned') as returned_count
    from {{ ref('stg_reviews__decisions') }}
    group by review_file
),

final as (
    select
        files.source_file,
        files.content_hash,
        files.period_key,
        files.reviewer,
        files.received_at,
        files.ingested_at,
        case when files.load_status = 'loaded' then 'counted' else 'rejected' end as file_status,
        files.rejection_reason,
        files.load_warnings,
        coalesce(decisions.decision_count, 0) as decision_count,
        coalesce(decisions.rejected_row_count, 0) as rejected_row_count,
        coalesce(decisions.returned_count, 0) as returned_count,
        files.archived_path,
        files.parser_version
    from files
    left join decisions using (source_file)
)

select * from final
