{#- Sở Nội vụ's decision on each report content (the bytes reviewed, whatever the file is called now):
    the one in the review file received last, so a later review overrides an earlier one. Its reviewer
    and date are those of the review that first said it: a review workbook restating a decision (they come
    prefilled) changes nothing a clerk is sent. Review files refused and rows rejected decide nothing. -#}
with reviews as (
    select * from {{ ref('stg_reviews__files') }}
    where load_status = 'loaded'
),

decisions as (
    select * from {{ ref('stg_reviews__decisions') }}
    where row_status = 'accepted'
),

sequenced as (
    select
        decisions.report_hash,
        decisions.report_file,
        decisions.decision,
        decisions.reason,
        reviews.reviewer,
        reviews.received_at as reviewed_at,
        decisions.review_file,
        decisions.decision_cell,
        decisions.decision || '|' || coalesce(decisions.reason, '') as said,
        lag(decisions.decision || '|' || coalesce(decisions.reason, '')) over in_order as said_before,
        row_number() over (
            partition by decisions.report_hash
            order by reviews.received_at desc, decisions.review_file desc, decisions.row_number desc
        ) as recency
    from decisions
    inner join reviews on reviews.source_file = decisions.review_file
    window in_order as (
        partition by decisions.report_hash
        order by reviews.received_at, decisions.review_file, decisions.row_number
    )
),

first_said as (
    -- the latest review that changed what was said: where the standing decision was first made
    select *
    from sequenced
    where said_before is distinct from said
    qualify row_number() over (partition by report_hash order by recency) = 1
),

final as (
    select
        first_said.report_hash,
        current_decision.report_file,
        first_said.decision,
        first_said.reason,
        first_said.reviewer,
        first_said.reviewed_at,
        first_said.review_file,
        first_said.decision_cell
    from first_said
    inner join sequenced as current_decision
        on current_decision.report_hash = first_said.report_hash
        and current_decision.recency = 1
)

select * from final
