-- One row per statutory reporting period: four report kinds a year over the configured years.
-- The calendar, cut-off and due-date rules come from the report_kinds seed, never from literals here.
with report_kinds as (
    select * from {{ ref('stg_reference__report_kinds') }}
),

years as (
    select unnest(range({{ var('period_first_year') }}, {{ var('period_last_year') }} + 1)) as report_year
),

periods as (
    select
        years.report_year::integer as report_year,
        report_kinds.report_kind,
        report_kinds.report_kind_name_vi,
        report_kinds.quarter,
        report_kinds.sort_order,
        report_kinds.is_cumulative,
        replace(report_kinds.label_template_vi, '{year}', years.report_year::varchar) as period_label_vi,
        make_date(years.report_year::integer, report_kinds.period_start_month, 1) as period_start_on,
        last_day(make_date(years.report_year::integer, report_kinds.period_end_month, 1)) as period_end_on,
        make_date(
            years.report_year::integer - case when report_kinds.cutoff_starts_previous_year then 1 else 0 end,
            report_kinds.cutoff_start_month,
            report_kinds.cutoff_start_day
        ) as cutoff_start_on,
        make_date(years.report_year::integer, report_kinds.cutoff_end_month, report_kinds.cutoff_end_day)
            as cutoff_end_on,
        make_date(years.report_year::integer, report_kinds.due_month, report_kinds.due_day) as report_due_on,
        report_kinds.close_after_due_days
    from years
    cross join report_kinds
),

closing as (
    select
        periods.*,
        coalesce(
            periods.report_due_on + periods.close_after_due_days::integer,
            annual.report_due_on + {{ var('period_close_grace_days') }}::integer
        ) as closes_on
    from periods
    left join periods as annual
        on annual.report_year = periods.report_year
        and annual.report_kind = 'FY'
),

sequenced as (
    select
        *,
        report_year || '-' || report_kind as period_key,
        row_number() over (order by report_year, sort_order) as period_sequence
    from closing
),

final as (
    select
        period_key,
        period_label_vi,
        report_year,
        report_kind,
        report_kind_name_vi,
        quarter,
        period_start_on,
        period_end_on,
        cutoff_start_on,
        cutoff_end_on,
        report_due_on,
        closes_on,
        period_sequence,
        lag(period_key) over (order by period_sequence) as previous_period_key,
        lag(period_key) over (partition by report_kind order by report_year) as same_period_last_year_key,
        is_cumulative,
        report_kind = 'FY' as is_annual,
        cutoff_end_on < current_date as is_closed,
        report_due_on < current_date as is_past_due_date,
        current_date between cutoff_start_on and cutoff_end_on as is_open
    from sequenced
)

select * from final
