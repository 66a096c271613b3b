{#- Audit of values: each figure that changed between an agency's successive submissions for a period
    (a returned or late file included), old and new, both files, when each was received and who filled
    each. Byte copies and refused files are not submissions of their own; a figure rejected in a file
    counts as gone from it. -#}
with submissions as (
    select
        source_file,
        agency_key,
        period_key,
        received_at,
        submitter,
        lag(source_file) over by_report as previous_file
    from {{ ref('report_submissions') }}
    where submission_status not in ('duplicate', 'rejected')
    window by_report as (partition by agency_key, period_key order by received_at, source_file)
),

pairs as (
    select
        submissions.source_file,
        submissions.previous_file,
        submissions.agency_key,
        submissions.period_key,
        submissions.received_at,
        submissions.submitter,
        previous.received_at as previous_received_at,
        previous.submitter as previous_submitter
    from submissions
    inner join submissions as previous on previous.source_file = submissions.previous_file
),

-- the figures of the files in a pair only: most agencies send one file a period, and the table of every
-- figure is millions of rows
figures as (
    select source_file, indicator_code, actual_value, actual_text, actual_cell
    from {{ ref('report_indicator_values') }}
    where indicator_code <> ''
        and source_file in (select source_file from pairs union all select previous_file from pairs)
    qualify row_number() over (partition by source_file, indicator_code order by actual_cell) = 1
),

codes as (
    select distinct pairs.source_file, figures.indicator_code
    from pairs
    inner join figures on figures.source_file in (pairs.source_file, pairs.previous_file)
),

final as (
    select
        pairs.source_file || '#' || codes.indicator_code as report_value_change_key,
        pairs.agency_key,
        pairs.period_key,
        codes.indicator_code,
        case
            when old.actual_value is null then 'added'
            when new.actual_value is null then 'removed'
            else 'changed'
        end as change_kind,
        old.actual_value as old_value,
        new.actual_value as new_value,
        old.actual_text as old_text,
        new.actual_text as new_text,
        new.actual_cell,
        pairs.previous_file as old_file,
        pairs.source_file as new_file,
        pairs.previous_received_at as old_received_at,
        pairs.received_at as new_received_at,
        pairs.previous_submitter as old_submitter,
        pairs.submitter as new_submitter
    from pairs
    inner join codes using (source_file)
    left join figures as new
        on new.source_file = pairs.source_file and new.indicator_code = codes.indicator_code
    left join figures as old
        on old.source_file = pairs.previous_file and old.indicator_code = codes.indicator_code
    where old.actual_value is distinct from new.actual_value
)

select * from final
