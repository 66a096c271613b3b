{#- Each agency's counted figures, indicator by indicator in period order, with what
    fact_report_value_jumps compares each with: the previous figure, the year's previous year-to-date
    figure, and the median and median absolute deviation of all the agency's figures for the indicator.
    Kept incrementally by agency: a new or corrected report changes its agency's series and no other, so
    a build recomputes the series of the agencies whose counted files moved (the pre-hook drops them)
    and adds those the table does not hold. `cchc run --full` rebuilds it whole, to the same rows. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{% if is_incremental() %}{{ drop_series_of_changed_agencies(this) }}{% endif %}",
    )
}}

with figures as (
    select
        values_reported.agency_key,
        values_reported.indicator_code,
        values_reported.period_key,
        values_reported.actual_value,
        values_reported.source_file,
        values_reported.actual_cell,
        values_reported.ingested_at,
        periods.report_year,
        periods.period_sequence,
        periods.is_cumulative,
        indicators.is_rate
    from {{ ref('report_indicator_values') }} as values_reported
    inner join {{ ref('dim_period') }} as periods using (period_key)
    inner join {{ ref('dim_indicator') }} as indicators using (indicator_code)
    where values_reported.is_counted and values_reported.actual_value is not null
    {% if is_incremental() %}
        and values_reported.agency_key not in (select distinct agency_key from {{ this }})
    {% endif %}
    qualify row_number() over (
        partition by values_reported.agency_key, values_reported.indicator_code, values_reported.period_key
        order by values_reported.actual_cell
    ) = 1
),

history as (
    select agency_key, indicator_code, median(actual_value) as history_median, count(*) as history_count
    from figures
    group by agency_key, indicator_code
),

spread as (
    select
        figures.agency_key,
        figures.indicator_code,
        median(abs(figures.actual_value - history.history_median)) as history_mad
    from figures
    inner join history using (agency_key, indicator_code)
    group by figures.agency_key, figures.indicator_code
),

final as (
    select
        figures.agency_key || '|' || figures.indicator_code || '|' || figures.period_key as report_value_series_key,
        figures.*,
        lag(figures.actual_value) over by_series as previous_value,
        lag(figures.period_key) over by_series as previous_period_key,
        lag(figures.actual_value) over by_year_to_date as previous_to_date_value,
        lag(figures.period_key) over by_year_to_date as previous_to_date_period_key,
        history.history_median,
        history.history_count,
        spread.history_mad
    from figures
    inner join history using (agency_key, indicator_code)
    inner join spread using (agency_key, indicator_code)
    window
        by_series as (partition by figures.agency_key, figures.indicator_code order by figures.period_sequence),
        by_year_to_date as (
            partition by figures.agency_key, figures.indicator_code, figures.report_year, figures.is_cumulative
            order by figures.period_sequence
        )
)

select * from final
