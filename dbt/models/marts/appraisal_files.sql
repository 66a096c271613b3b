{#- One row per appraisal workbook in raw/appraisals (phiếu thẩm định): counted (its rows stand unless a later
    appraisal decides the same content again) or rejected with the reason; how many of its rows decide and
    how many were rejected (the quarantine lists those with their cells). -#}
with files as (
    select * from {{ ref('stg_appraisals__files') }}
),

scores as (
    select
        appraisal_file as source_file,
        count(*) filter (where row_status = 'accepted') as score_count,
        count(*) filter (where row_status = 'rejected') as rejected_score_count
    from {{ ref('stg_appraisals__scores') }}
    group by appraisal_file
),

decisions as (
    select
        appraisal_file as source_file,
        count(*) filter (where decision = 'returned') as returned_count
    from {{ ref('stg_appraisals__decisions') }}
    group by appraisal_file
),

final as (
    select
        files.source_file,
        files.content_hash,
        files.province_key,
        files.assessed_year,
        files.appraiser,
        files.received_at,
        files.ingested_at,
        case when files.load_status = 'loaded' then 'counted' else 'rejected' end as file_status,
        files.rejection_reason,
        files.load_warnings,
        coalesce(scores.score_count, 0) as score_count,
        coalesce(scores.rejected_score_count, 0) as rejected_score_count,
        coalesce(decisions.returned_count, 0) as returned_count,
        files.archived_path,
        files.parser_version
    from files
    left join scores using (source_file)
    left join decisions using (source_file)
)

select * from final
