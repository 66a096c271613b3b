{#- One row per self-assessment file in raw/self_assessments. Which counts: a byte-identical copy of an
    earlier file is a duplicate; of an agency's files for one year, the one received last counts and the
    earlier ones are superseded (a corrected self-assessment replaces the first); a file its reader
    refused is rejected with the reason; the last one, returned by the council (Trả lại), is returned:
    nothing counts for that agency and year until it sends another, and the files it replaced do not come
    back. Its rows: scores and documents read, and rows rejected. -#}
with files as (
    select * from {{ ref('stg_self_assessments__files') }}
),

scores as (
    select
        source_file,
        count(*) filter (where row_status = 'accepted') as score_rows,
        count(*) filter (where row_status = 'rejected') as rejected_score_rows,
        string_agg(row_issue, chr(10) order by row_number) filter (where row_status = 'rejected') as score_issues
    from {{ ref('stg_self_assessments__scores') }}
    group by source_file
),

evidence as (
    select
        source_file,
        count(*) filter (where row_status = 'accepted') as evidence_rows,
        count(*) filter (where row_status = 'rejected') as rejected_evidence_rows,
        string_agg(row_issue, chr(10) order by row_number) filter (where row_status = 'rejected') as evidence_issues
    from {{ ref('stg_self_assessments__evidence') }}
    group by source_file
),

decisions as (
    select * from {{ ref('int_self_assessment_decisions') }}
),

copies as (
    select
        *,
        {{ copy_number("load_status = 'loaded'") }} as copy_number
    from files
),

ranked as (
    select
        *,
        case
            when load_status = 'loaded' and copy_number = 1 then row_number() over (
                partition by agency_key, assessed_year, load_status = 'loaded' and copy_number = 1
                order by received_at desc, source_file desc
            )
            else 1
        end as recency
    from copies
),

final as (
    select
        ranked.source_file,
        ranked.content_hash,
        ranked.agency_key,
        ranked.assessed_year,
        ranked.agency_key || '|' || ranked.assessed_year as assessment_key,
        ranked.criteria_set_key,
        ranked.submitter,
        ranked.phone,
        ranked.email,
        ranked.received_at,
        ranked.ingested_at,
        case
            when ranked.load_status = 'loaded' and ranked.copy_number = 1 and ranked.recency = 1
                and decisions.decision = 'returned' then 'returned'
            else {{ file_status('ranked.load_status', 'counted') }}
        end as file_status,
        ranked.load_status = 'loaded' and ranked.copy_number = 1 and ranked.recency = 1
            and decisions.decision is distinct from 'returned' as is_counted,
        decisions.decision as appraisal_decision,
        decisions.reason as appraisal_reason,
        decisions.appraiser,
        decisions.decided_at,
        ranked.rejection_reason,
        ranked.load_warnings,
        coalesce(scores.score_rows, 0) as score_rows,
        coalesce(scores.rejected_score_rows, 0) as rejected_score_rows,
        coalesce(evidence.evidence_rows, 0) as evidence_rows,
        coalesce(evidence.rejected_evidence_rows, 0) as rejected_evidence_rows,
        nullif(concat_ws(chr(10), scores.score_issues, evidence.evidence_issues), '') as row_issues,
        ranked.archived_path,
        ranked.parser_version
    from ranked
    left join scores using (source_file)
    left join evidence using (source_file)
    left join decisions on decisions.self_assessment_hash = ranked.content_hash
)

select * from final
