with values_reported as (
    select * from {{ ref('stg_reports__indicator_values') }}
),

submissions as (
    select * from {{ ref('report_submissions') }}
),

final as (
    select
        values_reported.source_file || '#' || values_reported.sheet_row as report_indicator_value_key,
        values_reported.source_file,
        submissions.agency_key,
        submissions.period_key,
        submissions.submission_status,
        submissions.is_counted,
        values_reported.indicator_code,
        values_reported.printed_target,
        values_reported.target_text,
        values_reported.actual_value,
        values_reported.actual_text,
        values_reported.numerator,
        values_reported.denominator,
        values_reported.is_computed,
        values_reported.is_percent,
        values_reported.row_status,
        values_reported.row_issue,
        values_reported.clerk_note,
        values_reported.sheet_name,
        values_reported.actual_cell
    from values_reported
    inner join submissions using (source_file)
)

select * from final
