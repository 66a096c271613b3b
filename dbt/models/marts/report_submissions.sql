{#- One row per report file. Which submission counts: a byte-identical copy of an earlier file is a
    duplicate; among distinct accepted files for one agency and period the one received last counts
    and the earlier ones are superseded (kept, never deleted). -#}
with submissions as (
    select * from {{ ref('stg_reports__submissions') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

copies as (
    select
        *,
        {{ copy_number("load_status = 'accepted'") }} as copy_number
    from submissions
),

ranked as (
    select
        copies.*,
        case
            when load_status = 'accepted' and copy_number = 1
                then row_number() over (
                    partition by agency_key, period_key, load_status = 'accepted' and copy_number = 1
                    order by received_at desc, source_file desc
                )
        end as recency
    from copies
),

version_counts as (
    {{ version_counts(ref('stg_reports__submission_versions')) }}
),

final as (
    select
        ranked.source_file,
        ranked.content_hash,
        ranked.agency_key,
        ranked.period_key,
        ranked.template_version,
        ranked.submitter,
        ranked.phone,
        ranked.email,
        ranked.reported_on,
        ranked.received_at,
        ranked.ingested_at,
        {{ file_status('ranked.load_status', 'accepted') }} as submission_status,
        ranked.load_status = 'accepted' and ranked.copy_number = 1 and ranked.recency = 1 as is_counted,
        ranked.rejection_reason,
        ranked.load_warnings,
        cast(ranked.received_at as date) <= periods.report_due_on as is_on_time,
        periods.report_due_on,
        coalesce(version_counts.version_count, 1) as version_count,
        ranked.archived_path,
        ranked.parser_version
    from ranked
    left join periods using (period_key)
    left join version_counts using (source_file)
)

select * from final
