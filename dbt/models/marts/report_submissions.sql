{#- One row per report file. Which submission counts: a byte-identical copy of an earlier file is a
    duplicate; among distinct accepted files for one agency and period the one received last counts
    and the earlier ones are superseded (kept, never deleted). Sở Nội vụ's review files decide beside:
    a file returned (trả lại) does not count, and the files it replaced do not count again, until a
    newer file arrives; a file received after its period's books closed (sau khóa sổ) replaces nothing
    and counts only once a review accepts it (chấp nhận). -#}
with submissions as (
    select * from {{ ref('stg_reports__submissions') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

decisions as (
    select * from {{ ref('int_report_review_decisions') }}
),

copies as (
    select
        *,
        {{ copy_number("load_status = 'accepted'") }} as copy_number
    from submissions
),

judged as (
    select
        copies.*,
        decisions.decision as review_decision,
        decisions.reason as review_reason,
        decisions.reviewer,
        decisions.reviewed_at,
        decisions.review_file,
        cast(copies.received_at as date) > periods.closes_on as is_after_close,
        -- in line to count: read, not a copy, and not a late change still waiting for a review
        copies.load_status = 'accepted' and copies.copy_number = 1
            and not (
                coalesce(cast(copies.received_at as date) > periods.closes_on, false)
                and decisions.decision is distinct from 'accepted'
            ) as is_in_line
    from copies
    left join periods using (period_key)
    left join decisions on decisions.report_hash = copies.content_hash
),

ranked as (
    select
        *,
        case
            when is_in_line
                then row_number() over (
                    partition by agency_key, period_key, is_in_line
                    order by received_at desc, source_file desc
                )
        end as recency
    from judged
),

statuses as (
    select
        *,
        case
            when load_status = 'accepted' and copy_number = 1 and review_decision = 'returned' then 'returned'
            when load_status = 'accepted' and copy_number = 1 and not is_in_line then 'after_close'
            else {{ file_status('load_status', 'accepted') }}
        end as submission_status
    from ranked
),

version_counts as (
    {{ version_counts(ref('stg_reports__submission_versions')) }}
),

final as (
    select
        statuses.source_file,
        statuses.content_hash,
        statuses.agency_key,
        statuses.period_key,
        statuses.template_version,
        statuses.submitter,
        statuses.phone,
        statuses.email,
        statuses.reported_on,
        statuses.received_at,
        statuses.ingested_at,
        statuses.submission_status,
        case statuses.submission_status
            when 'accepted' then 'được tính'
            when 'superseded' then 'đã có bản gửi sau thay thế'
            when 'returned' then 'trả lại – chờ gửi lại'
            when 'after_close' then 'sau khóa sổ – chờ xem xét'
            when 'duplicate' then 'bản trùng, không tính'
            else 'bị từ chối'
        end as submission_status_vi,
        statuses.submission_status = 'accepted' as is_counted,
        statuses.rejection_reason,
        statuses.load_warnings,
        cast(statuses.received_at as date) <= periods.report_due_on as is_on_time,
        periods.report_due_on,
        periods.closes_on,
        coalesce(statuses.is_after_close, false) as is_after_close,
        statuses.review_decision,
        statuses.review_reason,
        statuses.reviewer,
        statuses.reviewed_at,
        statuses.review_file,
        coalesce(version_counts.version_count, 1) as version_count,
        statuses.archived_path,
        statuses.parser_version
    from statuses
    left join periods using (period_key)
    left join version_counts using (source_file)
)

select * from final
