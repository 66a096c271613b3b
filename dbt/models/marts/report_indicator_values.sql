{#- Incremental: a build rewrites only the rows of report files that are new, read again, or whose
    agency, period or status moved (a later file superseded one, a review returned one); the rows of a
    file no longer in raw/reports go. The pre-hook drops every row whose file is not in that state any
    more, the model then adds the rows of every file the table does not hold. `cchc run --full` (dbt's
    --full-refresh), and any build after a change to the project, rebuild it whole, to the same rows. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{% if is_incremental() %}{{ drop_rows_of_changed_files(this, ref('report_submissions')) }}{% endif %}",
    )
}}

with values_reported as (
    select * from {{ ref('stg_reports__indicator_values') }}
),

submissions as (
    select * from {{ ref('report_submissions') }}
    {% if is_incremental() %}
    where source_file not in (select distinct source_file from {{ this }})
    {% endif %}
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
        values_reported.actual_cell,
        submissions.ingested_at
    from values_reported
    inner join submissions using (source_file)
)

select * from final
