{#- Sở Nội vụ's decision on each report file as it is now (file and content): the one in the review file
    received last, so a later review overrides an earlier one; review files refused and rows rejected
    decide nothing. -#}
with reviews as (
    select * from {{ ref('stg_reviews__files') }}
    where load_status = 'loaded'
),

decisions as (
    select * from {{ ref('stg_reviews__decisions') }}
    where row_status = 'accepted'
),

ranked as (
    select
        decisions.report_file,
        decisions.report_hash,
        decisions.decision,
        decisions.reason,
        reviews.reviewer,
        reviews.received_at as reviewed_at,
        decisions.review_file,
        decisions.decision_cell,
        row_number() over (
            partition by decisions.report_file, decisions.report_hash
            order by reviews.received_at desc, decisions.review_file desc, decisions.row_number desc
        ) as recency
    from decisions
    inner join reviews on reviews.source_file = decisions.review_file
),

final as (
    select
        report_file || '@' || report_hash as report_version_key,
        report_file,
        report_hash,
        decision,
        reason,
        reviewer,
        reviewed_at,
        review_file,
        decision_cell
    from ranked
    where recency = 1
)

select * from final
